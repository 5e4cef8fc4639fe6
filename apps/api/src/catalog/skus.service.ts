import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { duplicateKeyProblems, skuProblems } from '@dynaprice/catalog';
import { DomainError } from '@dynaprice/kernel';
import { DataSource, ILike, Repository } from 'typeorm';
import type { BulkUpsertResultDto, Page } from '../common/dto/page.dto';
import { validationFailure } from '../common/validation';
import { CatalogChanges } from './catalog-changes';
import { CatalogHistory } from './catalog-history';
import type { BulkSkusDto, SkuDto, SkuListQueryDto, UpdateSkuDto, UpsertSkuDto } from './dto/sku.dto';
import { SkuEntity } from './entities/sku.entity';

/** Rows per INSERT … SELECT FROM unnest(…) statement of a bulk upsert. */
const BULK_CHUNK_ROWS = 5_000;

export function toSkuDto(sku: SkuEntity): SkuDto {
  return {
    code: sku.code,
    name: sku.name,
    category: sku.category,
    unitCost: sku.unitCost,
    listPrice: sku.listPrice,
    shelfLifeDays: sku.shelfLifeDays,
    priceFloor: sku.priceFloor,
    priceCeiling: sku.priceCeiling,
    salvageValue: sku.salvageValue,
    createdAt: sku.createdAt.toISOString(),
    updatedAt: sku.updatedAt.toISOString(),
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

@Injectable()
export class SkusService {
  constructor(
    @InjectRepository(SkuEntity) private readonly skus: Repository<SkuEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: CatalogChanges,
    private readonly history: CatalogHistory,
  ) {}

  async list(query: SkuListQueryDto): Promise<Page<SkuDto>> {
    const category = query.category ? { category: query.category } : {};
    const where = query.search
      ? [
          { ...category, code: ILike(`%${escapeLike(query.search)}%`) },
          { ...category, name: ILike(`%${escapeLike(query.search)}%`) },
        ]
      : category;
    const [rows, total] = await this.skus.findAndCount({ where, order: { code: 'ASC' }, take: query.limit, skip: query.offset });
    return { items: rows.map(toSkuDto), total, limit: query.limit, offset: query.offset };
  }

  async get(code: string): Promise<SkuDto> {
    return toSkuDto(await this.require(code));
  }

  async create(body: UpsertSkuDto): Promise<SkuDto> {
    this.assertConsistent(body);
    if (await this.skus.existsBy({ code: body.code })) throw DomainError.conflict(`SKU ${JSON.stringify(body.code)} already exists`);
    const saved = await this.skus.save(this.skus.create({ ...body, salvageValue: body.salvageValue ?? 0 }));
    await this.changes.changed('skus');
    return toSkuDto(saved);
  }

  async update(code: string, body: UpdateSkuDto): Promise<SkuDto> {
    const sku = await this.require(code);
    const merged = this.skus.merge(sku, body);
    this.assertConsistent(merged);
    const saved = await this.skus.save(merged);
    await this.changes.changed('skus');
    return toSkuDto(saved);
  }

  async remove(code: string): Promise<void> {
    await this.require(code);
    await this.history.flushDecisions('sku', code);
    await this.dataSource.transaction(async (manager) => {
      // Sales, waste and decisions reference the SKU without a foreign key: refused here (409).
      await this.history.assertUnused(manager, 'sku', code);
      // Lots and overrides reference the SKU: the database refuses with 409.
      await manager.delete(SkuEntity, { code });
    });
    await this.changes.changed('skus');
  }

  /**
   * The retailer's nightly feed: every row inserted or replaced in one transaction. One bad row
   * rejects the whole batch before anything is written, naming the row and field.
   */
  async bulkUpsert(body: BulkSkusDto): Promise<BulkUpsertResultDto> {
    const rows = body.items;
    const problems = [
      ...rows.flatMap((row, index) => skuProblems(row, `items[${index}].`)),
      ...duplicateKeyProblems(rows, (row) => row.code, 'code'),
    ];
    if (problems.length > 0) throw validationFailure(problems);

    let inserted = 0;
    await this.dataSource.transaction(async (manager) => {
      for (let start = 0; start < rows.length; start += BULK_CHUNK_ROWS) {
        const chunk = rows.slice(start, start + BULK_CHUNK_ROWS);
        const result: Array<{ inserted: boolean }> = await manager.query(
          `INSERT INTO skus (code, name, category, unit_cost, list_price, shelf_life_days, price_floor, price_ceiling, salvage_value)
           SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::numeric[], $5::numeric[], $6::int[], $7::numeric[], $8::numeric[], $9::numeric[])
           ON CONFLICT (code) DO UPDATE SET
             name = EXCLUDED.name, category = EXCLUDED.category, unit_cost = EXCLUDED.unit_cost, list_price = EXCLUDED.list_price,
             shelf_life_days = EXCLUDED.shelf_life_days, price_floor = EXCLUDED.price_floor, price_ceiling = EXCLUDED.price_ceiling,
             salvage_value = EXCLUDED.salvage_value, updated_at = now()
           RETURNING (xmax = 0) AS inserted`,
          [
            chunk.map((row) => row.code),
            chunk.map((row) => row.name),
            chunk.map((row) => row.category),
            chunk.map((row) => row.unitCost),
            chunk.map((row) => row.listPrice),
            chunk.map((row) => row.shelfLifeDays),
            chunk.map((row) => row.priceFloor ?? null),
            chunk.map((row) => row.priceCeiling ?? null),
            chunk.map((row) => row.salvageValue ?? 0),
          ],
        );
        inserted += result.filter((row) => row.inserted).length;
      }
    });
    await this.changes.changed('skus');
    return { received: rows.length, inserted, updated: rows.length - inserted };
  }

  private assertConsistent(sku: Parameters<typeof skuProblems>[0]): void {
    const problems = skuProblems(sku);
    if (problems.length > 0) throw validationFailure(problems);
  }

  private async require(code: string): Promise<SkuEntity> {
    const sku = await this.skus.findOneBy({ code });
    if (!sku) throw DomainError.notFound('SKU', code);
    return sku;
  }
}
