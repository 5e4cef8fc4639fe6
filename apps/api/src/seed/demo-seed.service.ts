import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { uuidv7 } from '@dynaprice/kernel';
import { buildDemoRetailer, DEMO_PRICE_ENDINGS, simulateLegacyHistory, type LegacyHistory, type TrainingObservation } from '@dynaprice/market-sim';
import { DEMAND_FEATURE_COUNT, writeDemandFeatures } from '@dynaprice/pricing';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { PartitionManager } from '../database/partitions';
import { CustomerHasher } from '../sales/customer-hasher';

const CHUNK = 5_000;

export interface SeedSummary {
  stores: number;
  skus: number;
  lots: number;
  decisions: number;
  sales: number;
  waste: number;
  seconds: number;
}

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < rows.length; start += CHUNK) out.push(rows.slice(start, start + CHUNK));
  return out;
}

/**
 * Creates the demo retailer on an empty database: stores, SKUs, today's inventory, and the legacy
 * history (one legacy price decision per store × SKU × day with its feature row, the sales that
 * decision served, the waste) from the market simulator. Idempotent: a database with any store is
 * left alone; everything is written in one transaction, so a crash leaves nothing half-seeded.
 */
@Injectable()
export class DemoSeedService {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly partitions: PartitionManager,
    private readonly customers: CustomerHasher,
    private readonly clock: Clock,
  ) {}

  async isEmpty(): Promise<boolean> {
    const [row] = (await this.dataSource.query('SELECT EXISTS (SELECT 1 FROM stores) AS present')) as Array<{ present: boolean }>;
    return !row?.present;
  }

  async seedIfEmpty(now: Date = this.clock.date()): Promise<SeedSummary | null> {
    if (!(await this.isEmpty())) return null;
    const started = Date.now();
    // The same on every machine: size, history length and random seed come from the configuration.
    const { stores, skusPerCategory, historyDays, randomSeed } = this.config.demo;
    const retailer = buildDemoRetailer({ seed: randomSeed, stores, skusPerCategory });
    const history = simulateLegacyHistory({ retailer, days: historyDays, endDate: now.toISOString().slice(0, 10), seed: randomSeed });

    const decisionIds = history.observations.map((observation) => uuidv7(+observation.pricingAt));
    await this.partitions.ensure('price_decisions', history.observations.map((observation) => observation.pricingAt));
    await this.partitions.ensure('sales', history.sales.map((sale) => sale.soldAt));
    await this.partitions.ensure('waste_events', history.waste.map((event) => event.wastedAt));

    await this.dataSource.transaction(async (manager) => {
      if (!(await this.isEmptyIn(manager))) return;
      await this.writeCatalog(manager, history);
      await this.writeDecisions(manager, history.observations, decisionIds);
      await this.writeSales(manager, history, decisionIds);
      await this.writeWaste(manager, history);
    });
    const summary: SeedSummary = {
      stores: history.today.slots.length > 0 ? new Set(history.today.slots.map((slot) => slot.storeId)).size : 0,
      skus: new Set(history.today.slots.map((slot) => slot.skuCode)).size,
      lots: history.finalLots.length,
      decisions: history.observations.length,
      sales: history.sales.length,
      waste: history.waste.length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    this.logger.log({ msg: 'demo retailer seeded', ...summary });
    return summary;
  }

  private async isEmptyIn(manager: EntityManager): Promise<boolean> {
    const [row] = (await manager.query('SELECT EXISTS (SELECT 1 FROM stores) AS present')) as Array<{ present: boolean }>;
    return !row?.present;
  }

  private async writeCatalog(manager: EntityManager, history: LegacyHistory): Promise<void> {
    const retailer = history.simulation.retailer;
    for (const store of retailer.stores) {
      await manager.query(`INSERT INTO stores (id, name, region, cluster, timezone, attributes) VALUES ($1, $2, $3, $4, $5, $6)`, [
        store.id,
        store.name,
        store.region,
        store.cluster,
        store.timezone,
        JSON.stringify(store.attributes),
      ]);
    }
    // Today's list price: the history may have changed a SKU's list price along the way.
    const listPrice = new Map(history.today.slots.map((slot) => [slot.skuCode, slot.listPrice]));
    const skus = retailer.skus;
    await manager.query(
      `INSERT INTO skus (code, name, category, unit_cost, list_price, shelf_life_days, price_floor, price_ceiling, salvage_value)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::numeric[], $5::numeric[], $6::int[], $7::numeric[], $8::numeric[], $9::numeric[])`,
      [
        skus.map((sku) => sku.code),
        skus.map((sku) => sku.name),
        skus.map((sku) => sku.category),
        skus.map((sku) => sku.unitCost),
        skus.map((sku) => listPrice.get(sku.code) ?? sku.listPrice),
        skus.map((sku) => sku.shelfLifeDays),
        skus.map((sku) => sku.priceFloor),
        skus.map((sku) => sku.priceCeiling),
        skus.map((sku) => sku.salvageValue),
      ],
    );
    for (const lots of chunks(history.finalLots.filter((lot) => lot.quantity > 0))) {
      await manager.query(
        `INSERT INTO inventory_lots (id, store_id, sku_code, lot_ref, quantity, received_at, expires_at)
         SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::numeric[], $6::timestamptz[], $7::timestamptz[])`,
        [
          lots.map(() => randomUUID()),
          lots.map((lot) => lot.storeId),
          lots.map((lot) => lot.skuCode),
          lots.map((lot) => lot.lotId),
          lots.map((lot) => lot.quantity),
          lots.map((lot) => lot.receivedAt.toISOString()),
          lots.map((lot) => lot.expiresAt.toISOString()),
        ],
      );
    }
    await manager.query(`INSERT INTO guardrails (id, scope, scope_key, price_endings, updated_by) VALUES ($1, 'global', '', $2, 'seed')`, [
      randomUUID(),
      JSON.stringify(DEMO_PRICE_ENDINGS),
    ]);
  }

  private async writeDecisions(manager: EntityManager, observations: readonly TrainingObservation[], ids: readonly string[]): Promise<void> {
    const row = new Float32Array(DEMAND_FEATURE_COUNT);
    const features = observations.map((observation) => {
      writeDemandFeatures(row, 0, observation.context, observation.price / observation.listPrice);
      return `{${Array.from(row).join(',')}}`;
    });
    const currency = this.config.currency;
    for (let start = 0; start < observations.length; start += CHUNK) {
      const part = observations.slice(start, start + CHUNK);
      const at = (index: number): TrainingObservation => part[index] as TrainingObservation;
      await manager.query(
        `INSERT INTO price_decisions (id, decided_at, store_id, sku_code, price, currency, list_price, unit_cost, variant, reason,
           expected_units, expected_margin, valid_until, days_to_expiry, stock_units, features, fingerprint, request_id, caller, store_day)
         SELECT id, decided_at, store_id, sku_code, price, $14, list_price, unit_cost, 'legacy', 'legacy',
           expected_units, expected_margin, valid_until, days_to_expiry, stock_units, features::real[], 'history', 'seed', 'seed', store_day
         FROM unnest($1::uuid[], $2::timestamptz[], $3::varchar[], $4::varchar[], $5::numeric[], $6::numeric[], $7::numeric[],
           $8::real[], $9::numeric[], $10::timestamptz[], $11::int[], $12::numeric[], $13::text[], $15::date[])
           AS t(id, decided_at, store_id, sku_code, price, list_price, unit_cost, expected_units, expected_margin, valid_until, days_to_expiry, stock_units, features, store_day)`,
        [
          ids.slice(start, start + CHUNK),
          part.map((o) => o.pricingAt.toISOString()),
          part.map((o) => o.storeId),
          part.map((o) => o.skuCode),
          part.map((o) => o.price),
          part.map((o) => o.listPrice),
          part.map((o) => o.unitCost),
          // History is what happened, not a forecast: the realised units and margin.
          part.map((o) => o.unitsSold),
          part.map((_, index) => Math.round(at(index).unitsSold * (at(index).price - at(index).unitCost) * 10_000) / 10_000),
          part.map((o) => new Date(+o.pricingAt + 18 * 3_600_000).toISOString()),
          part.map((o) => o.context.daysToExpiry),
          part.map((o) => o.context.stockUnits),
          features.slice(start, start + CHUNK),
          currency,
          part.map((o) => o.date),
        ],
      );
    }
  }

  /** Each sale is linked to the decision in force when it happened (the day's legacy price). */
  private async writeSales(manager: EntityManager, history: LegacyHistory, decisionIds: readonly string[]): Promise<void> {
    const byUnit = new Map<string, Array<{ at: number; id: string }>>();
    history.observations.forEach((observation, index) => {
      const key = `${observation.storeId}|${observation.skuCode}`;
      const list = byUnit.get(key) ?? [];
      list.push({ at: +observation.pricingAt, id: decisionIds[index] as string });
      byUnit.set(key, list);
    });
    for (const list of byUnit.values()) list.sort((a, b) => a.at - b.at);
    const decisionFor = (storeId: string, skuCode: string, at: number): string | null => {
      const list = byUnit.get(`${storeId}|${skuCode}`);
      if (!list) return null;
      let lo = 0;
      let hi = list.length - 1;
      let found: string | null = null;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const entry = list[mid] as { at: number; id: string };
        if (entry.at <= at) {
          found = entry.id;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return found;
    };
    for (const sales of chunks(history.sales)) {
      await manager.query(
        `INSERT INTO sales (id, sold_at, idempotency_key, store_id, sku_code, quantity, unit_price, decision_id, customer_hash, segment)
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::varchar[], $4::varchar[], $5::varchar[], $6::numeric[], $7::numeric[], $8::uuid[], $9::varchar[], $10::varchar[])`,
        [
          sales.map((sale) => uuidv7(+sale.soldAt)),
          sales.map((sale) => sale.soldAt.toISOString()),
          sales.map((sale) => sale.idempotencyKey),
          sales.map((sale) => sale.storeId),
          sales.map((sale) => sale.skuCode),
          sales.map((sale) => sale.quantity),
          sales.map((sale) => sale.unitPrice),
          sales.map((sale) => decisionFor(sale.storeId, sale.skuCode, +sale.soldAt)),
          sales.map((sale) => (sale.customerId ? this.customers.hash(sale.customerId) : null)),
          sales.map((sale) => sale.segment ?? null),
        ],
      );
    }
  }

  private async writeWaste(manager: EntityManager, history: LegacyHistory): Promise<void> {
    for (const waste of chunks(history.waste)) {
      await manager.query(
        `INSERT INTO waste_events (id, wasted_at, idempotency_key, store_id, sku_code, quantity, unit_cost, reason)
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::varchar[], $4::varchar[], $5::varchar[], $6::numeric[], $7::numeric[], $8::varchar[])`,
        [
          waste.map((event) => uuidv7(+event.wastedAt)),
          waste.map((event) => event.wastedAt.toISOString()),
          waste.map((event) => event.idempotencyKey),
          waste.map((event) => event.storeId),
          waste.map((event) => event.skuCode),
          waste.map((event) => event.quantity),
          waste.map((event) => event.unitCost),
          waste.map((event) => event.reason),
        ],
      );
    }
  }
}
