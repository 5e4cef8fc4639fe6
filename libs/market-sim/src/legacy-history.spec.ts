import { DEMAND_FEATURE_COUNT, DEMAND_FEATURES, legacyPrice, writeDemandFeatures } from '@dynaprice/pricing';
import { legacyShelfPrice, simulateLegacyHistory, type LegacyHistory } from './legacy-history';
import { buildDemoRetailer } from './retailer';
import { toTrainingSet } from './training';

describe(simulateLegacyHistory.name, () => {
  const retailer = buildDemoRetailer();
  let history: LegacyHistory;

  beforeAll(() => {
    history = simulateLegacyHistory({ retailer, days: 56, endDate: '2025-06-02', seed: 7 });
  });

  function promotionPct(skuCode: string, date: string): number {
    return history.promotions
      .filter((promotion) => promotion.skuCode === skuCode && promotion.startDate <= date && date <= promotion.endDate)
      .reduce((deepest, promotion) => Math.max(deepest, promotion.discountPct), 0);
  }

  it('covers the 56 days before endDate: one observation per store × SKU × day', () => {
    expect(history.observations).toHaveLength(5 * 150 * 56);
    expect(history.startDate).toBe('2025-04-07');
    const dates = new Set(history.observations.map((observation) => observation.date));
    expect(dates.size).toBe(56);
    expect([...dates].sort()[55]).toBe('2025-06-01');
    const endMorning = Math.min(...history.today.slots.map((slot) => +slot.pricingAt));
    expect(history.sales.every((sale) => +sale.soldAt < endMorning)).toBe(true);
  });

  it('is deterministic from its seed', () => {
    const small = buildDemoRetailer({ stores: 2, skusPerCategory: 3 });
    const once = simulateLegacyHistory({ retailer: small, days: 14, endDate: '2025-03-01', seed: 3 });
    const twice = simulateLegacyHistory({ retailer: small, days: 14, endDate: '2025-03-01', seed: 3 });
    const other = simulateLegacyHistory({ retailer: small, days: 14, endDate: '2025-03-01', seed: 4 });
    for (const field of ['sales', 'waste', 'observations', 'accounting', 'finalLots', 'promotions'] as const) {
      expect(twice[field]).toEqual(once[field]);
    }
    expect(other.observations.map((o) => o.price)).not.toEqual(once.observations.map((o) => o.price));
    expect(other.sales.map((sale) => sale.idempotencyKey)).not.toEqual(once.sales.map((sale) => sale.idempotencyKey));
  });

  it('prices by the legacy rule: the markdown ladder near expiry, promotions, floor and ceiling', () => {
    const history = simulateLegacyHistory({ retailer, days: 56, endDate: '2025-06-02', seed: 7, priceTestShare: 0 });
    let nearExpiry = 0;
    let markedDown = 0;
    for (const observation of history.observations) {
      const sku = retailer.sku(observation.skuCode);
      const pct = promotionPct(observation.skuCode, observation.date);
      expect(observation.price).toBe(legacyShelfPrice(sku, observation.listPrice, observation.context.daysToExpiry, pct));
      if (pct === 0 && observation.context.stockUnits > 0 && observation.context.daysToExpiry <= 2) {
        nearExpiry++;
        const ladder = legacyPrice(observation.listPrice, observation.context.daysToExpiry);
        expect(observation.price).toBe(Math.max(sku.priceFloor, ladder));
        if (observation.price < observation.listPrice) markedDown++;
      }
      if (pct === 0 && observation.context.daysToExpiry >= 3) expect(observation.price).toBe(observation.listPrice);
    }
    expect(nearExpiry).toBeGreaterThan(1000);
    expect(markedDown).toBe(nearExpiry);
  });

  it('tests prices between half and 120 % of list on a share of days, expiring stock included', () => {
    const fullPrice = history.observations.filter((o) => o.context.daysToExpiry >= 3 && promotionPct(o.skuCode, o.date) === 0);
    const tested = fullPrice.filter((o) => o.price !== o.listPrice);
    const share = tested.length / fullPrice.length;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.25);
    expect(tested.some((o) => o.price > o.listPrice * 1.1)).toBe(true);
    for (const o of tested) {
      const sku = retailer.sku(o.skuCode);
      expect(o.price).toBeGreaterThanOrEqual(Math.max(sku.priceFloor, o.listPrice * 0.5 - 0.06));
      expect(o.price).toBeLessThanOrEqual(Math.min(sku.priceCeiling, o.listPrice * 1.2 + 0.05));
    }
    const lastDay = history.observations.filter((o) => o.context.stockUnits > 0 && o.context.daysToExpiry === 1 && promotionPct(o.skuCode, o.date) === 0);
    expect(lastDay.filter((o) => o.price >= o.listPrice * 0.8).length).toBeGreaterThan(lastDay.length * 0.05);
  });

  it('varies prices enough to learn elasticities', () => {
    const off = history.observations.filter((observation) => observation.price < observation.listPrice).length / history.observations.length;
    expect(off).toBeGreaterThan(0.25);
    expect(off).toBeLessThan(0.7);
    const ratios = new Set(history.observations.map((observation) => Math.round((observation.price / observation.listPrice) * 100)));
    expect(ratios.size).toBeGreaterThan(10);
    const promotedPerWeek = new Set(history.promotions.filter((p) => p.startDate >= '2025-04-14' && p.startDate < '2025-04-21').map((p) => p.skuCode)).size;
    expect(promotedPerWeek).toBeGreaterThanOrEqual(12);
    expect(promotedPerWeek).toBeLessThanOrEqual(25);
    expect(history.listPriceChanges.length).toBeGreaterThan(10);
    const changed = history.listPriceChanges[0];
    if (!changed) throw new Error('unreachable');
    const listPrices = new Set(history.observations.filter((o) => o.skuCode === changed.skuCode).map((o) => o.listPrice));
    expect(listPrices.size).toBeGreaterThanOrEqual(changed.effectiveDate > history.startDate ? 2 : 1);
  });

  it('has the waste, stock-outs and margins of a plausible fresh business', () => {
    const sold = history.observations.reduce((sum, observation) => sum + observation.unitsSold, 0);
    const wasted = history.observations.reduce((sum, observation) => sum + observation.wasteUnits, 0);
    expect(wasted).toBe(history.waste.reduce((sum, event) => sum + event.quantity, 0));
    expect(sold).toBe(history.sales.reduce((sum, sale) => sum + sale.quantity, 0));
    expect(wasted / (sold + wasted)).toBeGreaterThan(0.003);
    expect(wasted / (sold + wasted)).toBeLessThan(0.08);
    const stockOuts = history.observations.filter((observation) => observation.stockOut).length / history.observations.length;
    expect(stockOuts).toBeLessThan(0.25);
    const revenue = history.accounting.reduce((sum, row) => sum + row.revenue, 0);
    const margin = history.accounting.reduce((sum, row) => sum + row.grossMarginAfterWaste, 0);
    expect(margin / revenue).toBeGreaterThan(0.1);
    expect(margin / revenue).toBeLessThan(0.45);
  });

  it('hands over the current stock: lots on the morning of endDate, none expired', () => {
    expect(history.finalLots.length).toBeGreaterThan(750);
    const pricingAt = new Map(history.today.slots.map((slot) => [slot.storeId, +slot.pricingAt]));
    for (const lot of history.finalLots) {
      expect(lot.quantity).toBeGreaterThan(0);
      expect(+lot.expiresAt).toBeGreaterThan(pricingAt.get(lot.storeId) as number);
      expect(+lot.receivedAt).toBeLessThan(pricingAt.get(lot.storeId) as number);
    }
    expect(history.today.date).toBe('2025-06-02');
    expect(history.simulation.day).toBe(history.today.day);
  });

  it('turns observations into the demand model training matrix', () => {
    const set = toTrainingSet(history.observations);
    expect(set.rows).toBe(history.observations.length);
    expect(set.features).toHaveLength(set.rows * DEMAND_FEATURE_COUNT);
    const row = 12_345;
    const observation = history.observations[row];
    if (!observation) throw new Error('unreachable');
    const expected = new Float32Array(DEMAND_FEATURE_COUNT);
    writeDemandFeatures(expected, 0, observation.context, observation.price / observation.listPrice);
    expect(set.features.slice(row * DEMAND_FEATURE_COUNT, (row + 1) * DEMAND_FEATURE_COUNT)).toEqual(expected);
    expect(set.features[row * DEMAND_FEATURE_COUNT]).toBeCloseTo(observation.price / observation.listPrice, 6);
    expect(DEMAND_FEATURES[0].name).toBe('price_ratio');
    expect(set.target[row]).toBe(observation.unitsSold);
  });
});
