import type { Schemas } from '@dynaprice/api-client';
import { effectiveGuardrails, type EffectiveGuardrails } from './guardrail-levels';
import type { DecisionReason } from '../../../shared/components/ReasonBadge';

type Sku = Schemas['SkuDto'];
type Lot = Schemas['InventoryLotDto'];
type Guardrail = Schemas['GuardrailDto'];
type Override = Schemas['OverrideDto'];
type PricedLine = Schemas['PricedLineDto'];
type Decision = Schemas['DecisionDto'];

export interface Recommendation {
  price: number;
  currency: string;
  reason: DecisionReason;
  boundBy: string | null;
  decisionId: string;
  expectedUnits: number;
  expectedMargin: number;
  validUntil: string;
  reused: boolean;
}

/** One line of the price table: a SKU in the selected store. */
export interface PriceRow {
  sku: Sku;
  code: string;
  name: string;
  category: string;
  /** Units on hand in lots that have not expired. */
  stockUnits: number;
  /** Days left on the oldest lot in stock; null with nothing in stock. */
  daysToExpiry: number | null;
  listPrice: number;
  /** The retailer's markdown rule (utils/legacy-price), the experiments' control. */
  /** The retailer's legacy markdown price, as the API priced it (null until the store is repriced). */
  legacyPrice: number | null;
  /** The price in force before this recommendation (the store's previous decision), if the window has one. */
  currentPrice: number | null;
  recommended: Recommendation | null;
  /** (recommended − unit cost) / recommended, percent. */
  marginPct: number | null;
  /** Recommended against list price, percent. */
  changeVsListPct: number | null;
  guardrails: EffectiveGuardrails;
  /** What the SKU would get from the category and global levels alone (its own level's "inherit"). */
  inherited: EffectiveGuardrails;
  /** This SKU's own guardrail level, if it has one. */
  skuGuardrail: Guardrail | null;
  /** The effective price limits: the higher floor and the lower ceiling of the catalog and the guardrails. */
  floor: number | null;
  ceiling: number | null;
  /** The override in force here (this store's before a chain-wide one), and every active one that applies. */
  override: Override | null;
  overrides: Override[];
}

export interface PriceRowInputs {
  skus: readonly Sku[];
  lots: readonly Lot[];
  lines: readonly PricedLine[];
  guardrails: readonly Guardrail[];
  overrides: readonly Override[];
  /** Recent decisions of the store, any order. */
  history: readonly Decision[];
  storeId: string;
}

function stockOf(lots: readonly Lot[]): { stockUnits: number; daysToExpiry: number | null } {
  let stockUnits = 0;
  let daysToExpiry: number | null = null;
  for (const lot of lots) {
    // Expired lots are waste waiting to be reported, not stock that can sell (as the pricing engine sees it).
    if (lot.quantity <= 0 || lot.daysToExpiry <= 0) continue;
    stockUnits += lot.quantity;
    daysToExpiry = daysToExpiry === null ? lot.daysToExpiry : Math.min(daysToExpiry, lot.daysToExpiry);
  }
  return { stockUnits, daysToExpiry };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** The price in force before `line`: the line itself when it reused a decision, else the newest older decision. */
function currentPriceOf(line: PricedLine | undefined, decisions: readonly Decision[] | undefined): number | null {
  if (!line) return decisions?.[0]?.price ?? null;
  if (line.reused) return line.price;
  // Decision ids are UUIDv7: their text order is their time order.
  const previous = decisions?.find((decision) => decision.id < line.decisionId);
  return previous?.price ?? null;
}

/** Joins the catalog, the store's stock, guardrails, overrides and the recommendations into table rows. */
export function buildPriceRows({ skus, lots, lines, guardrails, overrides, history, storeId }: PriceRowInputs): PriceRow[] {
  const lotsBySku = groupBy(lots, (lot) => lot.skuCode);
  const lineBySku = new Map(lines.map((line) => [line.skuCode, line]));
  const historyBySku = groupBy(
    [...history].sort((a, b) => (a.decidedAt < b.decidedAt ? 1 : a.decidedAt > b.decidedAt ? -1 : a.id < b.id ? 1 : -1)),
    (decision) => decision.skuCode,
  );
  const level = (scope: Guardrail['scope'], key: string) => guardrails.find((g) => g.scope === scope && g.scopeKey === key) ?? null;
  const global = level('global', '');
  const overridesBySku = groupBy(
    overrides.filter((o) => o.active && (o.storeId === null || o.storeId === storeId)),
    (o) => o.skuCode,
  );

  return skus.map((sku) => {
    const { stockUnits, daysToExpiry } = stockOf(lotsBySku.get(sku.code) ?? []);
    const line = lineBySku.get(sku.code);
    const skuGuardrail = level('sku', sku.code);
    const candidates = overridesBySku.get(sku.code) ?? [];
    const category = level('category', sku.category);
    const guardrailSet = effectiveGuardrails(global, category, skuGuardrail);
    const floors = [sku.priceFloor, guardrailSet.priceFloor].filter((v): v is number => v !== null);
    const ceilings = [sku.priceCeiling, guardrailSet.priceCeiling].filter((v): v is number => v !== null);
    const recommended: Recommendation | null = line
      ? {
          price: line.price,
          currency: line.currency,
          reason: line.reason,
          boundBy: line.boundBy,
          decisionId: line.decisionId,
          expectedUnits: line.expectedUnits,
          expectedMargin: line.expectedMargin,
          validUntil: line.validUntil,
          reused: line.reused,
        }
      : null;
    return {
      sku,
      code: sku.code,
      name: sku.name,
      category: sku.category,
      stockUnits,
      daysToExpiry,
      listPrice: sku.listPrice,
      legacyPrice: line?.legacyPrice ?? null,
      currentPrice: currentPriceOf(line, historyBySku.get(sku.code)),
      recommended,
      marginPct: recommended ? ((recommended.price - sku.unitCost) / recommended.price) * 100 : null,
      changeVsListPct: recommended ? ((recommended.price - sku.listPrice) / sku.listPrice) * 100 : null,
      guardrails: guardrailSet,
      inherited: effectiveGuardrails(global, category, null),
      skuGuardrail,
      floor: floors.length > 0 ? Math.max(...floors) : null,
      ceiling: ceilings.length > 0 ? Math.min(...ceilings) : null,
      override: candidates.find((o) => o.storeId === storeId) ?? candidates[0] ?? null,
      overrides: candidates,
    };
  });
}
