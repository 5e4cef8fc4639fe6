import { legacyShelfPrice, simulateLegacyHistory } from './legacy-history';
import { trueOutcome, oraclePrice, oraclePriceLadder, type OracleState } from './oracle';
import { buildDemoRetailer } from './retailer';

describe(oraclePrice.name, () => {
  const retailer = buildDemoRetailer({ stores: 3, skusPerCategory: 8 });
  const history = simulateLegacyHistory({ retailer, days: 21, endDate: '2025-09-01', seed: 12 });
  const states: { state: OracleState; legacy: number; list: number }[] = history.observations.map((observation) => ({
    state: { storeId: observation.storeId, skuCode: observation.skuCode, ...observation.context },
    legacy: observation.price,
    list: retailer.sku(observation.skuCode).listPrice,
  }));

  it('searches a fine ladder within floor and ceiling', () => {
    const sku = retailer.sku('PRD-003');
    const ladder = oraclePriceLadder(sku);
    expect(ladder[0]).toBe(sku.priceFloor);
    expect(ladder[ladder.length - 1]).toBe(sku.priceCeiling);
    expect(ladder.length).toBeGreaterThan(50);
    for (const { state } of states.slice(0, 300)) {
      const best = oraclePrice(retailer, state);
      const { priceFloor, priceCeiling } = retailer.sku(state.skuCode);
      expect(best.price).toBeGreaterThanOrEqual(priceFloor);
      expect(best.price).toBeLessThanOrEqual(priceCeiling);
    }
  });

  it('beats legacy pricing and a flat list price on expected profit, state by state and in total', () => {
    let oracleTotal = 0;
    let legacyTotal = 0;
    let listTotal = 0;
    for (const { state, legacy, list } of states) {
      const best = oraclePrice(retailer, state).expectedProfit;
      const atLegacy = trueOutcome(retailer, state, legacy).expectedProfit;
      const atList = trueOutcome(retailer, state, list).expectedProfit;
      // The legacy price may fall between two ladder rungs: allow a rung's worth of profit.
      expect(best).toBeGreaterThanOrEqual(atLegacy - 0.02);
      expect(best).toBeGreaterThanOrEqual(atList - 1e-9);
      oracleTotal += best;
      legacyTotal += atLegacy;
      listTotal += atList;
    }
    expect(oracleTotal).toBeGreaterThan(1.05 * legacyTotal);
    expect(oracleTotal).toBeGreaterThan(1.02 * listTotal);
  });

  it('clears expiring stock below list and prices scarce fresh stock above it', () => {
    const sku = retailer.skus.find((candidate) => candidate.category === 'meat') ?? retailer.sku('PRD-001');
    const demandAtList = retailer.expectedDemand('S01', sku.code, sku.listPrice, 1, 3);
    const glut: OracleState = { storeId: 'S01', skuCode: sku.code, stockUnits: Math.ceil(demandAtList * 4), expiringUnits: Math.ceil(demandAtList * 4), daysToExpiry: 1, dayOfWeek: 3 };
    expect(oraclePrice(retailer, glut).price).toBeLessThan(legacyShelfPrice(sku, sku.listPrice, 3));
    const scarce: OracleState = { storeId: 'S01', skuCode: sku.code, stockUnits: 1, expiringUnits: 0, daysToExpiry: sku.shelfLifeDays, dayOfWeek: 6 };
    expect(oraclePrice(retailer, scarce).price).toBeGreaterThan(sku.listPrice);
  });

  it('marks a glut down days before it expires once it knows the stock’s ages, and charges today its share', () => {
    const sku = retailer.skus.find((candidate) => candidate.category === 'dairy') ?? retailer.sku('PRD-001');
    const demandAtList = retailer.expectedDemand('S01', sku.code, sku.listPrice, 3, 3);
    const units = Math.ceil(demandAtList * 6);
    const blind: OracleState = { storeId: 'S01', skuCode: sku.code, stockUnits: units, expiringUnits: 0, daysToExpiry: 3, dayOfWeek: 3 };
    const aware: OracleState = { ...blind, stockAges: [{ daysLeft: 3, units }] };
    const blindBest = oraclePrice(retailer, blind);
    const awareBest = oraclePrice(retailer, aware);
    expect(blindBest.expectedWasteUnits).toBe(0);
    expect(awareBest.price).toBeLessThan(blindBest.price);
    // Three days at the chosen price's demand leave this much of the lot; today carries a third of it.
    expect(awareBest.expectedWasteUnits).toBeCloseTo(Math.max(0, units - 3 * awareBest.expectedDemand) / 3, 9);
  });

  it('accounts expected profit with the product formula', () => {
    const { state } = states[40] ?? { state: undefined };
    if (!state) throw new Error('unreachable');
    const sku = retailer.sku(state.skuCode);
    const outcome = trueOutcome(retailer, state, sku.listPrice);
    expect(outcome.expectedUnitsSold).toBeLessThanOrEqual(Math.min(outcome.expectedDemand, state.stockUnits) + 1e-9);
    expect(outcome.expectedWasteUnits).toBeLessThanOrEqual(state.expiringUnits);
    expect(outcome.expectedProfit).toBeCloseTo(
      outcome.expectedUnitsSold * (sku.listPrice - sku.unitCost) - outcome.expectedWasteUnits * (sku.unitCost - sku.salvageValue),
      9,
    );
  });
});
