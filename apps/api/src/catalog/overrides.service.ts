import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { windowProblems } from '@dynaprice/catalog';
import { DomainError, type FieldProblem } from '@dynaprice/kernel';
import { randomUUID } from 'node:crypto';
import { Brackets, Repository } from 'typeorm';
import { callerMay } from '../auth/caller-permissions';
import { Permission } from '../auth/permissions';
import { currentCaller } from '../common/caller';
import type { Page } from '../common/dto/page.dto';
import { validationFailure } from '../common/validation';
import { CatalogChanges } from './catalog-changes';
import type { CreateOverrideDto, OverrideDto, OverrideListQueryDto, UpdateOverrideDto } from './dto/override.dto';
import { OverrideEntity } from './entities/override.entity';
import { SkuEntity } from './entities/sku.entity';
import { StoreEntity } from './entities/store.entity';

function isActive(override: OverrideEntity, now: Date): boolean {
  return override.cancelledAt === null && +override.startsAt <= +now && +now < +override.endsAt;
}

export function toOverrideDto(override: OverrideEntity, now = new Date()): OverrideDto {
  return {
    id: override.id,
    skuCode: override.skuCode,
    storeId: override.storeId,
    price: override.price,
    startsAt: override.startsAt.toISOString(),
    endsAt: override.endsAt.toISOString(),
    reason: override.reason,
    forced: override.forced,
    createdBy: override.createdBy,
    createdAt: override.createdAt.toISOString(),
    cancelledAt: override.cancelledAt?.toISOString() ?? null,
    active: isActive(override, now),
  };
}

/** An unforced override must sit inside the SKU's floor / ceiling when it is set. */
function boundsProblems(price: number, forced: boolean, sku: SkuEntity): FieldProblem[] {
  if (forced) return [];
  if (sku.priceFloor !== null && price < sku.priceFloor) {
    return [{ field: 'price', message: `is below the floor of ${sku.code} (${sku.priceFloor}); only an admin can force it` }];
  }
  if (sku.priceCeiling !== null && price > sku.priceCeiling) {
    return [{ field: 'price', message: `is above the ceiling of ${sku.code} (${sku.priceCeiling}); only an admin can force it` }];
  }
  return [];
}

@Injectable()
export class OverridesService {
  constructor(
    @InjectRepository(OverrideEntity) private readonly overrides: Repository<OverrideEntity>,
    @InjectRepository(SkuEntity) private readonly skus: Repository<SkuEntity>,
    @InjectRepository(StoreEntity) private readonly stores: Repository<StoreEntity>,
    private readonly changes: CatalogChanges,
  ) {}

  async list(query: OverrideListQueryDto): Promise<Page<OverrideDto>> {
    const now = new Date();
    const builder = this.overrides.createQueryBuilder('override').orderBy('override.created_at', 'DESC').addOrderBy('override.id', 'ASC').take(query.limit).skip(query.offset);
    if (query.skuCode) builder.andWhere('override.sku_code = :skuCode', { skuCode: query.skuCode });
    if (query.storeId) {
      builder.andWhere(new Brackets((where) => where.where('override.store_id = :storeId', { storeId: query.storeId }).orWhere('override.store_id IS NULL')));
    }
    if (query.active === true) {
      builder.andWhere('override.cancelled_at IS NULL AND override.starts_at <= :now AND override.ends_at > :now', { now });
    } else if (query.active === false) {
      builder.andWhere('NOT (override.cancelled_at IS NULL AND override.starts_at <= :now AND override.ends_at > :now)', { now });
    }
    const [rows, total] = await builder.getManyAndCount();
    return { items: rows.map((row) => toOverrideDto(row, now)), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<OverrideDto> {
    return toOverrideDto(await this.require(id));
  }

  async create(body: CreateOverrideDto): Promise<OverrideDto> {
    if (body.forced === true && !callerMay(Permission.OverridesForce)) {
      throw new DomainError('FORBIDDEN', `forced: true needs permission ${Permission.OverridesForce} (admin): only an admin may set a price outside the SKU's floor / ceiling`);
    }
    const sku = await this.skus.findOneBy({ code: body.skuCode });
    if (!sku) throw DomainError.validation('skuCode', `SKU ${JSON.stringify(body.skuCode)} does not exist`);
    if (body.storeId && !(await this.stores.existsBy({ id: body.storeId }))) {
      throw DomainError.validation('storeId', `store ${JSON.stringify(body.storeId)} does not exist`);
    }
    const startsAt = body.startsAt ? new Date(body.startsAt) : new Date();
    const endsAt = new Date(body.endsAt);
    const forced = body.forced ?? false;
    const problems = [...windowProblems({ startsAt, endsAt }), ...boundsProblems(body.price, forced, sku)];
    if (+endsAt <= Date.now()) problems.push({ field: 'endsAt', message: 'must be in the future' });
    if (problems.length > 0) throw validationFailure(problems);

    const saved = await this.overrides.save(
      this.overrides.create({
        id: randomUUID(),
        skuCode: body.skuCode,
        storeId: body.storeId ?? null,
        price: body.price,
        startsAt,
        endsAt,
        reason: body.reason,
        forced,
        createdBy: currentCaller(),
        cancelledAt: null,
      }),
    );
    await this.changes.changed('overrides');
    return toOverrideDto(saved);
  }

  async update(id: string, body: UpdateOverrideDto): Promise<OverrideDto> {
    const override = await this.require(id);
    if (override.cancelledAt !== null) throw DomainError.conflict(`override ${id} was cancelled and can no longer change`);
    if (body.price !== undefined) override.price = body.price;
    if (body.endsAt !== undefined) override.endsAt = new Date(body.endsAt);
    if (body.reason !== undefined) override.reason = body.reason;
    const sku = await this.skus.findOneByOrFail({ code: override.skuCode });
    const problems = [...windowProblems(override), ...boundsProblems(override.price, override.forced, sku)];
    if (problems.length > 0) throw validationFailure(problems);
    const saved = await this.overrides.save(override);
    await this.changes.changed('overrides');
    return toOverrideDto(saved);
  }

  /** Ends the override now; the row stays for the audit trail. */
  async cancel(id: string): Promise<void> {
    const override = await this.require(id);
    if (override.cancelledAt !== null) return;
    override.cancelledAt = new Date();
    await this.overrides.save(override);
    await this.changes.changed('overrides');
  }

  private async require(id: string): Promise<OverrideEntity> {
    const override = await this.overrides.findOneBy({ id });
    if (!override) throw DomainError.notFound('override', id);
    return override;
  }
}
