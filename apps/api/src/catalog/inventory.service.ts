import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { duplicateKeyProblems, lotProblems } from '@dynaprice/catalog';
import { DomainError, type FieldProblem } from '@dynaprice/kernel';
import { daysToExpiry, MS_PER_DAY } from '@dynaprice/pricing';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import type { BulkUpsertResultDto, Page } from '../common/dto/page.dto';
import { validationFailure } from '../common/validation';
import { CatalogChanges } from './catalog-changes';
import type { BulkInventoryDto, InventoryListQueryDto, InventoryLotDto, UpdateInventoryLotDto, UpsertInventoryLotDto } from './dto/inventory.dto';
import { InventoryLotEntity } from './entities/inventory-lot.entity';

const BULK_CHUNK_ROWS = 5_000;

export function toInventoryLotDto(lot: InventoryLotEntity, now = new Date()): InventoryLotDto {
  return {
    id: lot.id,
    storeId: lot.storeId,
    skuCode: lot.skuCode,
    lotRef: lot.lotRef,
    quantity: lot.quantity,
    receivedAt: lot.receivedAt.toISOString(),
    expiresAt: lot.expiresAt.toISOString(),
    daysToExpiry: daysToExpiry(lot.expiresAt, now),
    updatedAt: lot.updatedAt.toISOString(),
  };
}

@Injectable()
export class InventoryService {
  constructor(
    @InjectRepository(InventoryLotEntity) private readonly lots: Repository<InventoryLotEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: CatalogChanges,
  ) {}

  async list(query: InventoryListQueryDto): Promise<Page<InventoryLotDto>> {
    const now = new Date();
    const builder = this.lots.createQueryBuilder('lot').orderBy('lot.expires_at', 'ASC').addOrderBy('lot.id', 'ASC').take(query.limit).skip(query.offset);
    if (query.storeId) builder.andWhere('lot.store_id = :storeId', { storeId: query.storeId });
    if (query.skuCode) builder.andWhere('lot.sku_code = :skuCode', { skuCode: query.skuCode });
    if (query.category) builder.innerJoin('lot.sku', 'sku').andWhere('sku.category = :category', { category: query.category });
    if (query.expiringWithinDays !== undefined) {
      builder
        .andWhere('lot.expires_at > :now', { now })
        .andWhere('lot.expires_at <= :horizon', { horizon: new Date(+now + query.expiringWithinDays * MS_PER_DAY) });
    }
    const [rows, total] = await builder.getManyAndCount();
    return { items: rows.map((lot) => toInventoryLotDto(lot, now)), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<InventoryLotDto> {
    return toInventoryLotDto(await this.require(id));
  }

  async create(body: UpsertInventoryLotDto): Promise<InventoryLotDto> {
    const lot = { ...body, receivedAt: new Date(body.receivedAt), expiresAt: new Date(body.expiresAt) };
    await this.assertValid([lot], '');
    if (await this.lots.existsBy({ storeId: body.storeId, skuCode: body.skuCode, lotRef: body.lotRef })) {
      throw DomainError.conflict(`lot ${JSON.stringify(body.lotRef)} of ${body.skuCode} in store ${body.storeId} already exists`);
    }
    const saved = await this.lots.save(this.lots.create({ id: randomUUID(), ...lot }));
    await this.changes.changed('inventory', [saved.storeId]);
    return toInventoryLotDto(saved);
  }

  async update(id: string, body: UpdateInventoryLotDto): Promise<InventoryLotDto> {
    const lot = await this.require(id);
    if (body.quantity !== undefined) lot.quantity = body.quantity;
    if (body.receivedAt !== undefined) lot.receivedAt = new Date(body.receivedAt);
    if (body.expiresAt !== undefined) lot.expiresAt = new Date(body.expiresAt);
    const problems = lotProblems(lot);
    if (problems.length > 0) throw validationFailure(problems);
    const saved = await this.lots.save(lot);
    await this.changes.changed('inventory', [saved.storeId]);
    return toInventoryLotDto(saved);
  }

  async remove(id: string): Promise<void> {
    const lot = await this.require(id);
    await this.lots.delete({ id });
    await this.changes.changed('inventory', [lot.storeId]);
  }

  /** Lots keyed by (store, SKU, lot reference): inserted or replaced in one transaction, or none. */
  async bulkUpsert(body: BulkInventoryDto): Promise<BulkUpsertResultDto> {
    const rows = body.items.map((row) => ({ ...row, receivedAt: new Date(row.receivedAt), expiresAt: new Date(row.expiresAt) }));
    await this.assertValid(rows, 'items');

    let inserted = 0;
    await this.dataSource.transaction(async (manager) => {
      for (let start = 0; start < rows.length; start += BULK_CHUNK_ROWS) {
        const chunk = rows.slice(start, start + BULK_CHUNK_ROWS);
        const result: Array<{ inserted: boolean }> = await manager.query(
          `INSERT INTO inventory_lots (id, store_id, sku_code, lot_ref, quantity, received_at, expires_at)
           SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::numeric[], $6::timestamptz[], $7::timestamptz[])
           ON CONFLICT (store_id, sku_code, lot_ref) DO UPDATE SET
             quantity = EXCLUDED.quantity, received_at = EXCLUDED.received_at, expires_at = EXCLUDED.expires_at, updated_at = now()
           RETURNING (xmax = 0) AS inserted`,
          [
            chunk.map(() => randomUUID()),
            chunk.map((row) => row.storeId),
            chunk.map((row) => row.skuCode),
            chunk.map((row) => row.lotRef),
            chunk.map((row) => row.quantity),
            chunk.map((row) => row.receivedAt.toISOString()),
            chunk.map((row) => row.expiresAt.toISOString()),
          ],
        );
        inserted += result.filter((row) => row.inserted).length;
      }
    });
    await this.changes.changed('inventory', [...new Set(rows.map((row) => row.storeId))]);
    return { received: rows.length, inserted, updated: rows.length - inserted };
  }

  /** Cross-field rules, duplicates in the batch, and references to stores and SKUs that exist. */
  private async assertValid(
    rows: ReadonlyArray<{ storeId: string; skuCode: string; lotRef: string; receivedAt: Date; expiresAt: Date }>,
    listName: string,
  ): Promise<void> {
    const prefix = (index: number): string => (listName ? `${listName}[${index}].` : '');
    const problems: FieldProblem[] = rows.flatMap((row, index) => lotProblems(row, prefix(index)));
    if (listName) problems.push(...duplicateKeyProblems(rows, (row) => `${row.storeId}/${row.skuCode}/${row.lotRef}`, 'lotRef', listName));

    const storeIds = [...new Set(rows.map((row) => row.storeId))];
    const skuCodes = [...new Set(rows.map((row) => row.skuCode))];
    const [knownStores, knownSkus] = await Promise.all([
      this.dataSource.query(`SELECT id FROM stores WHERE id = ANY($1::varchar[])`, [storeIds]) as Promise<Array<{ id: string }>>,
      this.dataSource.query(`SELECT code FROM skus WHERE code = ANY($1::varchar[])`, [skuCodes]) as Promise<Array<{ code: string }>>,
    ]);
    const storeSet = new Set(knownStores.map((row) => row.id));
    const skuSet = new Set(knownSkus.map((row) => row.code));
    rows.forEach((row, index) => {
      if (!storeSet.has(row.storeId)) problems.push({ field: `${prefix(index)}storeId`, message: `store ${JSON.stringify(row.storeId)} does not exist` });
      if (!skuSet.has(row.skuCode)) problems.push({ field: `${prefix(index)}skuCode`, message: `SKU ${JSON.stringify(row.skuCode)} does not exist` });
    });
    if (problems.length > 0) throw validationFailure(problems);
  }

  private async require(id: string): Promise<InventoryLotEntity> {
    const lot = await this.lots.findOneBy({ id });
    if (!lot) throw DomainError.notFound('inventory lot', id);
    return lot;
  }
}
