import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError } from '@dynaprice/kernel';
import {
  MS_PER_DAY,
  storeDay,
  type GuardrailSet,
  type LotPosition,
  type PriceOverride,
  type RecentSalesSummary,
  VELOCITY_WINDOW_DAYS,
} from '@dynaprice/pricing';
import { DataSource } from 'typeorm';
import { CatalogChanges, type CatalogChange } from '../catalog/catalog-changes';
import { Clock } from '../common/clock';

export interface SkuTerms {
  code: string;
  name: string;
  category: string;
  unitCost: number;
  listPrice: number;
  shelfLifeDays: number;
  priceFloor: number | null;
  priceCeiling: number | null;
  salvageValue: number;
}

export interface StoreInfo {
  id: string;
  timezone: string;
}

/** What pricing knows about one store, as of the start of its local day. */
export interface StoreState {
  readonly store: StoreInfo;
  /** The store-local day the sales summaries and opening prices belong to. */
  readonly day: string;
  readonly dayEndsAt: number;
  readonly lots: Map<string, LotPosition[]>;
  readonly recent: Map<string, RecentSalesSummary>;
  /** The latest decided price per SKU (updated as decisions are made). */
  readonly lastPrice: Map<string, number>;
  /** The price in force when the store's day began (max change per day is measured against it). */
  readonly openingPrice: Map<string, number>;
}

export interface GuardrailLevels {
  global: GuardrailSet;
  byCategory: Map<string, GuardrailSet>;
  bySku: Map<string, GuardrailSet>;
}

const NO_RECENT_SALES: RecentSalesSummary = { velocity7d: 0, priceRatio7d: 1 };
const NO_OVERRIDES: readonly PriceOverride[] = Object.freeze([]);
/** A full reload now and then, in case a change signal was missed (another instance, a lost connection). */
const SAFETY_REFRESH_MS = 60_000;

interface GuardrailRow {
  scope: 'global' | 'category' | 'sku';
  scope_key: string;
  min_margin_pct: string | number | null;
  max_change_pct: string | number | null;
  price_floor: string | number | null;
  price_ceiling: string | number | null;
  price_endings: string[] | null;
  frozen: boolean | null;
}

function num(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}

/**
 * The hot path's in-memory view of the catalog: SKUs, guardrails, overrides, and per store its lots,
 * recent sales and last prices. Price requests never read the database; writes through the API
 * refresh the view at once, other instances' writes within a second (PostgreSQL NOTIFY), and a
 * periodic reload covers anything missed. While the database is down, pricing serves from here.
 * Views are replaced, never changed in place (except a store's last prices, which PricingService
 * compares by value): PricingService reuses a decision while it is handed the same objects.
 */
@Injectable()
export class PricingState implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PricingState.name);
  private skus = new Map<string, SkuTerms>();
  private skuCodes: string[] = [];
  private stores = new Map<string, StoreInfo>();
  private guardrails: GuardrailLevels = { global: {}, byCategory: new Map(), bySku: new Map() };
  private overrides = new Map<string, PriceOverride[]>();
  private readonly storeStates = new Map<string, StoreState>();
  private readonly storeLoads = new Map<string, Promise<StoreState>>();
  /** Bumped on every change: decisions cached before it are re-fingerprinted anyway, this is for logs. */
  private version = 0;
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: CatalogChanges,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reloadGlobal();
    this.unsubscribe = this.changes.onChange((change) => this.apply(change));
    this.timer = setInterval(() => void this.safetyRefresh(), SAFETY_REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  get catalogVersion(): number {
    return this.version;
  }

  sku(code: string): SkuTerms | undefined {
    return this.skus.get(code);
  }

  /** SKU codes in order, for store-wide repricing. */
  allSkuCodes(): readonly string[] {
    return this.skuCodes;
  }

  storeInfo(id: string): StoreInfo | undefined {
    return this.stores.get(id);
  }

  guardrailLevels(): GuardrailLevels {
    return this.guardrails;
  }

  /** The same array until the overrides are reloaded (the hot path compares it by identity). */
  overridesFor(skuCode: string): readonly PriceOverride[] {
    return this.overrides.get(skuCode) ?? NO_OVERRIDES;
  }

  /** The store's state for the day at `now`, loading it (or rolling it to a new day) when needed. */
  async storeState(storeId: string, now: number): Promise<StoreState> {
    const state = this.storeStates.get(storeId);
    if (state && now < state.dayEndsAt) return state;
    const store = this.stores.get(storeId);
    if (!store) throw DomainError.validation('storeId', `store ${JSON.stringify(storeId)} does not exist`);
    let load = this.storeLoads.get(storeId);
    if (!load) {
      load = this.loadStore(store, now).finally(() => this.storeLoads.delete(storeId));
      this.storeLoads.set(storeId, load);
    }
    try {
      return await load;
    } catch (error) {
      // The database is unreachable: yesterday's view beats no price at all.
      if (state) {
        this.logger.warn({ msg: 'serving a stale store view', storeId, error: String(error) });
        return state;
      }
      throw new DomainError('UNAVAILABLE', `prices for store ${storeId} are not loaded and the database is unreachable`);
    }
  }

  /** A decision was made: the next one measures "last price" from it. */
  recordPrice(storeId: string, skuCode: string, price: number): void {
    this.storeStates.get(storeId)?.lastPrice.set(skuCode, price);
  }

  private async apply(change: CatalogChange): Promise<void> {
    this.version++;
    try {
      if (change.table === 'inventory') {
        const stores = change.storeIds ?? [...this.storeStates.keys()];
        await Promise.all(stores.map((storeId) => this.reloadLots(storeId)));
      } else {
        await this.reloadGlobal();
      }
    } catch (error) {
      this.logger.warn({ msg: 'catalog refresh failed; will retry on the next change or safety refresh', table: change.table, error: String(error) });
    }
  }

  private async safetyRefresh(): Promise<void> {
    try {
      await this.reloadGlobal();
      await Promise.all([...this.storeStates.keys()].map((storeId) => this.reloadLots(storeId)));
    } catch {
      // Database down: keep serving what we have.
    }
  }

  private async reloadGlobal(): Promise<void> {
    const [skuRows, storeRows, guardrailRows, overrideRows] = await Promise.all([
      this.dataSource.query(
        `SELECT code, name, category, unit_cost, list_price, shelf_life_days, price_floor, price_ceiling, salvage_value FROM skus ORDER BY code`,
      ) as Promise<Array<Record<string, string | number | null>>>,
      this.dataSource.query(`SELECT id, timezone FROM stores`) as Promise<Array<{ id: string; timezone: string }>>,
      this.dataSource.query(
        `SELECT scope, scope_key, min_margin_pct, max_change_pct, price_floor, price_ceiling, price_endings, frozen FROM guardrails`,
      ) as Promise<GuardrailRow[]>,
      this.dataSource.query(
        `SELECT id, sku_code, store_id, price, starts_at, ends_at, reason, forced, created_at, cancelled_at
         FROM price_overrides WHERE cancelled_at IS NULL AND ends_at > $1`,
        [this.clock.date().toISOString()],
      ) as Promise<Array<Record<string, unknown>>>,
    ]);
    const skus = new Map<string, SkuTerms>();
    for (const row of skuRows) {
      skus.set(String(row['code']), {
        code: String(row['code']),
        name: String(row['name']),
        category: String(row['category']),
        unitCost: Number(row['unit_cost']),
        listPrice: Number(row['list_price']),
        shelfLifeDays: Number(row['shelf_life_days']),
        priceFloor: num(row['price_floor'] as string | number | null),
        priceCeiling: num(row['price_ceiling'] as string | number | null),
        salvageValue: Number(row['salvage_value']),
      });
    }
    const guardrails: GuardrailLevels = { global: {}, byCategory: new Map(), bySku: new Map() };
    for (const row of guardrailRows) {
      const set: GuardrailSet = {
        minMarginPct: num(row.min_margin_pct),
        maxChangePct: num(row.max_change_pct),
        priceFloor: num(row.price_floor),
        priceCeiling: num(row.price_ceiling),
        priceEndings: row.price_endings,
        frozen: row.frozen,
      };
      if (row.scope === 'global') guardrails.global = set;
      else if (row.scope === 'category') guardrails.byCategory.set(row.scope_key, set);
      else guardrails.bySku.set(row.scope_key, set);
    }
    const overrides = new Map<string, PriceOverride[]>();
    for (const row of overrideRows) {
      const override: PriceOverride = {
        id: String(row['id']),
        skuCode: String(row['sku_code']),
        storeId: row['store_id'] === null ? null : String(row['store_id']),
        price: Number(row['price']),
        startsAt: new Date(row['starts_at'] as string),
        endsAt: new Date(row['ends_at'] as string),
        reason: String(row['reason']),
        forced: Boolean(row['forced']),
        createdAt: new Date(row['created_at'] as string),
        cancelledAt: null,
      };
      const list = overrides.get(override.skuCode) ?? [];
      list.push(override);
      overrides.set(override.skuCode, list);
    }
    const stores = new Map(storeRows.map((row) => [row.id, { id: row.id, timezone: row.timezone }]));
    // Swap in one step: a request sees the old view or the new one, never a mix.
    this.skus = skus;
    this.skuCodes = [...skus.keys()];
    this.stores = stores;
    this.guardrails = guardrails;
    this.overrides = overrides;
    for (const storeId of this.storeStates.keys()) if (!stores.has(storeId)) this.storeStates.delete(storeId);
  }

  private async loadStore(store: StoreInfo, now: number): Promise<StoreState> {
    const day = storeDay(now, store.timezone);
    const dayStart = day.endsAt - MS_PER_DAY;
    const windowStart = dayStart - VELOCITY_WINDOW_DAYS * MS_PER_DAY;
    const [lots, recentRows, priceRows] = await Promise.all([
      this.queryLots(store.id),
      this.dataSource.query(
        `SELECT sku_code, SUM(quantity) AS units, SUM(quantity * unit_price) AS revenue FROM sales
         WHERE store_id = $1 AND sold_at >= $2 AND sold_at < $3 GROUP BY sku_code`,
        [store.id, new Date(windowStart).toISOString(), new Date(dayStart).toISOString()],
      ) as Promise<Array<{ sku_code: string; units: string | number; revenue: string | number }>>,
      this.dataSource.query(
        `SELECT DISTINCT ON (sku_code) sku_code, price, decided_at < $2 AS before_day FROM price_decisions
         WHERE store_id = $1 AND decided_at >= $3 ORDER BY sku_code, decided_at DESC`,
        [store.id, new Date(dayStart).toISOString(), new Date(dayStart - 14 * MS_PER_DAY).toISOString()],
      ) as Promise<Array<{ sku_code: string; price: string | number; before_day: boolean }>>,
    ]);
    const recent = new Map<string, RecentSalesSummary>();
    for (const row of recentRows) {
      const sku = this.skus.get(row.sku_code);
      const units = Number(row.units);
      if (!sku || units <= 0) continue;
      // Same formula as summariseRecentSales (libs/pricing), computed in SQL.
      recent.set(row.sku_code, { velocity7d: units / VELOCITY_WINDOW_DAYS, priceRatio7d: Number(row.revenue) / units / sku.listPrice });
    }
    const lastPrice = new Map<string, number>();
    const openingPrice = new Map<string, number>();
    for (const row of priceRows) {
      lastPrice.set(row.sku_code, Number(row.price));
      if (row.before_day) openingPrice.set(row.sku_code, Number(row.price));
    }
    if (priceRows.some((row) => !row.before_day)) {
      const opening = (await this.dataSource.query(
        `SELECT DISTINCT ON (sku_code) sku_code, price FROM price_decisions
         WHERE store_id = $1 AND decided_at < $2 AND decided_at >= $3 ORDER BY sku_code, decided_at DESC`,
        [store.id, new Date(dayStart).toISOString(), new Date(dayStart - 14 * MS_PER_DAY).toISOString()],
      )) as Array<{ sku_code: string; price: string | number }>;
      for (const row of opening) openingPrice.set(row.sku_code, Number(row.price));
    }
    const state: StoreState = { store, day: day.day, dayEndsAt: day.endsAt, lots, recent, lastPrice, openingPrice };
    this.storeStates.set(store.id, state);
    return state;
  }

  private async reloadLots(storeId: string): Promise<void> {
    const state = this.storeStates.get(storeId);
    if (!state) return;
    const lots = await this.queryLots(storeId);
    this.storeStates.set(storeId, { ...state, lots });
  }

  private async queryLots(storeId: string): Promise<Map<string, LotPosition[]>> {
    const rows = (await this.dataSource.query(
      `SELECT sku_code, quantity, expires_at FROM inventory_lots WHERE store_id = $1 AND quantity > 0 AND expires_at > $2 ORDER BY expires_at`,
      [storeId, this.clock.date().toISOString()],
    )) as Array<{ sku_code: string; quantity: string | number; expires_at: Date | string }>;
    const lots = new Map<string, LotPosition[]>();
    for (const row of rows) {
      const list = lots.get(row.sku_code) ?? [];
      list.push({ quantity: Number(row.quantity), expiresAt: +new Date(row.expires_at) });
      lots.set(row.sku_code, list);
    }
    return lots;
  }

  recentSales(state: StoreState, skuCode: string): RecentSalesSummary {
    return state.recent.get(skuCode) ?? NO_RECENT_SALES;
  }
}
