import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DomainError } from '@dynaprice/kernel';
import { DataSource, Repository } from 'typeorm';
import type { Page } from '../common/dto/page.dto';
import { CatalogChanges } from './catalog-changes';
import { CatalogHistory } from './catalog-history';
import type { CreateStoreDto, StoreDto, StoreListQueryDto, UpdateStoreDto } from './dto/store.dto';
import { StoreEntity } from './entities/store.entity';

export function toStoreDto(store: StoreEntity): StoreDto {
  return {
    id: store.id,
    name: store.name,
    region: store.region,
    cluster: store.cluster,
    timezone: store.timezone,
    attributes: store.attributes,
    createdAt: store.createdAt.toISOString(),
    updatedAt: store.updatedAt.toISOString(),
  };
}

@Injectable()
export class StoresService {
  constructor(
    @InjectRepository(StoreEntity) private readonly stores: Repository<StoreEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: CatalogChanges,
    private readonly history: CatalogHistory,
  ) {}

  async list(query: StoreListQueryDto): Promise<Page<StoreDto>> {
    const [rows, total] = await this.stores.findAndCount({
      where: { ...(query.region ? { region: query.region } : {}), ...(query.cluster ? { cluster: query.cluster } : {}) },
      order: { id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toStoreDto), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<StoreDto> {
    return toStoreDto(await this.require(id));
  }

  async create(body: CreateStoreDto): Promise<StoreDto> {
    if (await this.stores.existsBy({ id: body.id })) throw DomainError.conflict(`store ${JSON.stringify(body.id)} already exists`);
    const saved = await this.stores.save(this.stores.create({ ...body, attributes: body.attributes ?? {} }));
    await this.changes.changed('stores');
    return toStoreDto(saved);
  }

  async update(id: string, body: UpdateStoreDto): Promise<StoreDto> {
    const store = await this.require(id);
    const saved = await this.stores.save(this.stores.merge(store, body));
    await this.changes.changed('stores');
    return toStoreDto(saved);
  }

  async remove(id: string): Promise<void> {
    await this.require(id);
    await this.history.flushDecisions('store', id);
    await this.dataSource.transaction(async (manager) => {
      // Sales, waste, decisions and requests reference the store without a foreign key: refused here (409).
      await this.history.assertUnused(manager, 'store', id);
      // Lots and overrides reference the store: the database refuses with 409.
      await manager.delete(StoreEntity, { id });
    });
    await this.changes.changed('stores');
  }

  private async require(id: string): Promise<StoreEntity> {
    const store = await this.stores.findOneBy({ id });
    if (!store) throw DomainError.notFound('store', id);
    return store;
  }
}
