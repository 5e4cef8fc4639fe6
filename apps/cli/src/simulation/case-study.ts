import { addDays } from '@dynaprice/kernel';
import {
  buildDemoRetailer,
  oraclePrice,
  simulateLegacyHistory,
  trueOutcome,
  type DayResult,
  type OpenDay,
  oracleStateOf,
  type SaleEvent,
  type SlotState,
  type WasteEvent,
} from '@dynaprice/market-sim';
import { ApiClient } from './api-client';

export interface CaseStudyOptions {
  api: ApiClient;
  days: number;
  /** Share of store × SKU units priced by the model (the rest: legacy), e.g. 0.3. */
  modelShare: number;
  stores: number;
  skusPerCategory: number;
  historyDays: number;
  seed: number;
  /** The first simulated day ('YYYY-MM-DD'): the API's demo history ends the day before. */
  startDate: string;
  /** Costs entered for the ROI report. */
  costs: { cloudPerMonth: number; development: number };
  onDay?: (progress: DayProgress) => void;
}

export interface VariantTally {
  exposures: number;
  units: number;
  revenue: number;
  costOfGoods: number;
  wasteCost: number;
  wasteUnits: number;
  margin: number;
  /** Expected margin (true demand) of the prices charged, and of the oracle's prices, on the same slots. */
  trueExpectedMargin: number;
  oracleExpectedMargin: number;
}

export interface DayProgress {
  day: number;
  date: string;
  margin: Record<string, number>;
}

export interface DailyRow {
  date: string;
  variant: string;
  exposures: number;
  margin: number;
  wasteUnits: number;
}

export interface CaseStudyResult {
  experimentId: string;
  startDate: string;
  endDate: string;
  tallies: Record<string, VariantTally>;
  daily: DailyRow[];
  /** Price / list price of every decided price, per variant (for the distribution chart). */
  priceIndex: Record<string, number[]>;
  results: ExperimentResultsView;
  roi: RoiReportView;
}

export interface EffectView {
  estimate: number;
  confidenceInterval: [number, number];
  pValue: number;
}

/** The parts of GET /v1/experiments/:id/results the report reads. */
export interface ExperimentResultsView {
  controlVariant: string;
  variants: Array<{ variant: string; exposures: number; units: number; revenue: number; costOfGoods: number; wasteCost: number; grossMargin: number; marginPerExposure: number | null; unitCount: number }>;
  comparisons: Array<{
    variant: string;
    primary: {
      plain: { relativeLift: EffectView | null };
      cuped: { relativeLift: EffectView | null; varianceReduction: number } | null;
      sequential: { state: Record<string, unknown> };
    } | null;
  }>;
  srm: Record<string, unknown>;
  warnings: string[];
  daily: unknown[];
}

export interface RoiReportView {
  rows: Array<Record<string, unknown>>;
}

interface RepriceLine {
  skuCode: string;
  price: number;
  listPrice: number;
  decisionId: string;
  variant: string;
}

const SALES_BATCH = 10_000;

function emptyTally(): VariantTally {
  return { exposures: 0, units: 0, revenue: 0, costOfGoods: 0, wasteCost: 0, wasteUnits: 0, margin: 0, trueExpectedMargin: 0, oracleExpectedMargin: 0 };
}


/**
 * The book's case study against the running API: the synthetic retailer's stores ask the API for
 * their shelf prices every morning, customers buy at those prices under the true demand, and the
 * sales and waste go back to the API — the same retailer the API seeded (same seed, size, dates), so
 * the API's catalog and stock match the simulation's. The experiment (legacy vs model, by store × SKU)
 * is created and analysed through the API; the simulator keeps its own ground truth beside it.
 */
export async function runCaseStudy(options: CaseStudyOptions): Promise<CaseStudyResult> {
  const { api, days, modelShare, seed, startDate } = options;
  const retailer = buildDemoRetailer({ seed, stores: options.stores, skusPerCategory: options.skusPerCategory });
  const history = simulateLegacyHistory({ retailer, days: options.historyDays, endDate: startDate, seed });
  const simulation = history.simulation;

  const experiment = await api.request<{ id: string }>('POST', '/v1/experiments', {
    name: `Case study: model pricing on ${Math.round(modelShare * 100)} % of store × SKU units`,
    hypothesis: 'Model pricing raises gross margin after waste per exposure by 12 % over the legacy markdown rule.',
    unit: 'store_sku',
    salt: `case-study-${seed}`,
    variants: [
      { key: 'legacy', weight: Math.round((1 - modelShare) * 1000) / 1000, kind: 'legacy' },
      { key: 'model', weight: Math.round(modelShare * 1000) / 1000, kind: 'model', model: 'champion' },
    ],
    controlVariant: 'legacy',
  });
  await api.request('POST', `/v1/experiments/${experiment.id}/start`, { reason: 'Case study start' });

  const tallies: Record<string, VariantTally> = {};
  const daily: DailyRow[] = [];
  const priceIndex: Record<string, number[]> = {};
  const pushedLots = new Map<string, Map<string, LotTimes>>();
  // Each store reports yesterday's sales and waste the next morning, just before it asks for prices:
  // stores in different time zones overlap, and the API's clock only moves forward.
  const unreported = new Map<string, { sales: SaleEvent[]; waste: WasteEvent[]; decisions: Map<string, string> }>();
  let clockAt = 0;
  const advance = async (to: number): Promise<void> => {
    if (to <= clockAt) return;
    clockAt = to;
    await api.request('POST', '/v1/admin/clock', { now: new Date(to).toISOString() });
  };
  const report = async (storeId: string): Promise<void> => {
    const events = unreported.get(storeId);
    if (!events) return;
    unreported.delete(storeId);
    await advance(Math.max(...events.sales.map((sale) => +sale.soldAt), ...events.waste.map((event) => +event.wastedAt), 0) + 1);
    await postEvents(api, events.sales, events.waste, events.decisions);
  };
  let day: OpenDay = history.today;

  for (let index = 0; index < days; index++) {
    const slotsByStore = new Map<string, SlotState[]>();
    for (const slot of day.slots) slotsByStore.set(slot.storeId, [...(slotsByStore.get(slot.storeId) ?? []), slot]);
    const stores = [...slotsByStore.keys()].sort((a, b) => +(slotsByStore.get(a)?.[0]?.pricingAt ?? 0) - +(slotsByStore.get(b)?.[0]?.pricingAt ?? 0));
    const priced = new Map<string, RepriceLine>();

    for (const storeId of stores) {
      const slots = slotsByStore.get(storeId) ?? [];
      await report(storeId);
      await advance(+(slots[0]?.pricingAt as Date));
      await pushInventory(api, storeId, slots, pushedLots);
      let after: string | null = null;
      do {
        const query: string = after ? `?limit=500&after=${encodeURIComponent(after)}` : '?limit=500';
        const page: { items: RepriceLine[]; nextCursor: string | null } = await api.request('POST', `/v1/stores/${storeId}/reprice${query}`);
        for (const line of page.items) priced.set(`${storeId}|${line.skuCode}`, line);
        after = page.nextCursor;
      } while (after);
    }

    const result: DayResult = simulation.closeDay((slot) => {
      const line = priced.get(`${slot.storeId}|${slot.skuCode}`);
      if (!line) throw new Error(`the API priced no ${slot.skuCode} in ${slot.storeId}`);
      return line.price;
    });
    for (const storeId of stores) {
      const decisions = new Map([...priced].filter(([key]) => key.startsWith(`${storeId}|`)).map(([key, line]) => [key, line.decisionId]));
      unreported.set(storeId, {
        sales: result.sales.filter((sale) => sale.storeId === storeId),
        waste: result.waste.filter((event) => event.storeId === storeId),
        decisions,
      });
    }

    // Ground truth, by the variant that priced each store × SKU today.
    const dayTally = new Map<string, DailyRow>();
    const slotByKey = new Map(day.slots.map((slot) => [`${slot.storeId}|${slot.skuCode}`, slot]));
    for (const row of result.accounting) {
      const key = `${row.storeId}|${row.skuCode}`;
      const line = priced.get(key);
      const slot = slotByKey.get(key);
      if (!line || !slot) continue;
      const tally = (tallies[line.variant] ??= emptyTally());
      tally.exposures += 1;
      tally.units += row.unitsSold;
      tally.revenue += row.revenue;
      tally.costOfGoods += row.costOfGoodsSold;
      tally.wasteCost += row.wasteCost;
      tally.wasteUnits += row.wasteUnits;
      tally.margin += row.grossMarginAfterWaste;
      tally.trueExpectedMargin += trueOutcome(retailer, oracleStateOf(slot), line.price).expectedProfit;
      tally.oracleExpectedMargin += oraclePrice(retailer, oracleStateOf(slot)).expectedProfit;
      (priceIndex[line.variant] ??= []).push(line.price / line.listPrice);
      const today = dayTally.get(line.variant) ?? { date: day.date, variant: line.variant, exposures: 0, margin: 0, wasteUnits: 0 };
      today.exposures += 1;
      today.margin += row.grossMarginAfterWaste;
      today.wasteUnits += row.wasteUnits;
      dayTally.set(line.variant, today);
    }
    daily.push(...dayTally.values());
    options.onDay?.({ day: index + 1, date: day.date, margin: Object.fromEntries(Object.entries(tallies).map(([variant, tally]) => [variant, tally.margin])) });
    day = simulation.openDay();
  }
  for (const storeId of [...unreported.keys()]) await report(storeId);

  const endDate = addDays(startDate, days - 1);
  const results = await api.request<ExperimentResultsView>('GET', `/v1/experiments/${experiment.id}/results`);
  const months = Math.max(1, Math.round(days / 30));
  const firstMonth = startDate.slice(0, 7);
  const lastMonth = endDate.slice(0, 7);
  await api.request('POST', '/v1/roi/costs', { category: 'cloud', recurrence: 'monthly', amount: options.costs.cloudPerMonth, effectiveFrom: firstMonth, effectiveTo: lastMonth, experimentId: experiment.id, description: `Fargate, RDS and API Gateway for the pilot (${months} months)` });
  await api.request('POST', '/v1/roi/costs', { category: 'development', recurrence: 'one_off', amount: options.costs.development, effectiveFrom: firstMonth, experimentId: experiment.id, description: 'Integration and rollout' });
  const roi = await api.request<RoiReportView>('GET', `/v1/roi?groupBy=experiment&from=${firstMonth}&to=${lastMonth}`);
  return { experimentId: experiment.id, startDate, endDate, tallies, daily, priceIndex, results, roi };
}

async function postEvents(api: ApiClient, sales: readonly SaleEvent[], waste: readonly WasteEvent[], decisions: ReadonlyMap<string, string>): Promise<void> {
  for (let start = 0; start < sales.length; start += SALES_BATCH) {
    const events = sales.slice(start, start + SALES_BATCH).map((sale) => ({
      idempotencyKey: sale.idempotencyKey,
      storeId: sale.storeId,
      skuCode: sale.skuCode,
      quantity: sale.quantity,
      unitPrice: sale.unitPrice,
      soldAt: sale.soldAt.toISOString(),
      decisionId: decisions.get(`${sale.storeId}|${sale.skuCode}`),
      ...(sale.customerId ? { customerId: sale.customerId } : {}),
      ...(sale.segment ? { segment: sale.segment } : {}),
    }));
    await api.request('POST', '/v1/sales', { events });
  }
  for (let start = 0; start < waste.length; start += SALES_BATCH) {
    const events = waste.slice(start, start + SALES_BATCH).map((event) => ({
      idempotencyKey: event.idempotencyKey,
      storeId: event.storeId,
      skuCode: event.skuCode,
      quantity: event.quantity,
      unitCost: event.unitCost,
      wastedAt: event.wastedAt.toISOString(),
      reason: event.reason,
    }));
    await api.request('POST', '/v1/waste', { events });
  }
}

interface LotTimes {
  skuCode: string;
  lotRef: string;
  receivedAt: string;
  expiresAt: string;
}

/** The store's lots as of this morning; lots gone since the last push (sold out, expired) go to zero. */
async function pushInventory(api: ApiClient, storeId: string, slots: readonly SlotState[], pushed: Map<string, Map<string, LotTimes>>): Promise<void> {
  const items: Array<Record<string, unknown>> = [];
  const current = new Map<string, LotTimes>();
  for (const slot of slots) {
    for (const lot of slot.lots) {
      const times = { skuCode: lot.skuCode, lotRef: lot.lotId, receivedAt: lot.receivedAt.toISOString(), expiresAt: lot.expiresAt.toISOString() };
      current.set(`${lot.skuCode}|${lot.lotId}`, times);
      items.push({ storeId, ...times, quantity: lot.quantity });
    }
  }
  for (const [key, times] of pushed.get(storeId) ?? []) if (!current.has(key)) items.push({ storeId, ...times, quantity: 0 });
  pushed.set(storeId, current);
  if (items.length > 0) await api.request('POST', '/v1/inventory/bulk', { items });
}
