import { DomainError } from '@dynaprice/kernel';
import { PRODUCT_CATEGORIES } from '@dynaprice/pricing';
import { buildDemoRetailer, expiryMultiplier, MAX_ELASTICITY, MIN_ELASTICITY, snapToPriceEnding } from './retailer';

const SHELF_LIFE: Record<string, [number, number]> = {
  produce: [3, 7],
  bakery: [1, 3],
  dairy: [7, 21],
  meat: [3, 6],
  ready_meals: [2, 4],
};

describe(buildDemoRetailer.name, () => {
  const retailer = buildDemoRetailer();

  it('builds 5 stores and 150 SKUs, 30 per category, by default', () => {
    expect(retailer.stores.map((store) => store.id)).toEqual(['S01', 'S02', 'S03', 'S04', 'S05']);
    expect(retailer.skus).toHaveLength(150);
    for (const category of PRODUCT_CATEGORIES) expect(retailer.skus.filter((sku) => sku.category === category)).toHaveLength(30);
    expect(retailer.skus[0]?.code).toBe('PRD-001');
    expect(retailer.skus[149]?.code).toBe('PRD-150');
    expect(new Set(retailer.skus.map((sku) => sku.name)).size).toBe(150);
    expect(retailer.skus.map((sku) => sku.name)).toEqual(expect.arrayContaining(['Organic Bananas 1kg', 'Sourdough Loaf', 'Greek Yogurt 500g']));
  });

  it('gives stores real time zones and fairness attributes, and keeps traffic out of the catalog', () => {
    const zones = new Set(retailer.stores.map((store) => store.timezone));
    expect(zones).toEqual(new Set(['Europe/London', 'America/Chicago']));
    expect(new Set(retailer.stores.map((store) => store.attributes.incomeBand))).toEqual(new Set(['low', 'middle', 'high']));
    for (const store of retailer.stores) {
      expect(Object.keys(store).sort()).toEqual(['attributes', 'cluster', 'id', 'name', 'region', 'timezone']);
      expect(store.name.length).toBeGreaterThan(5);
      expect(retailer.storeTraffic(store.id)).toBeGreaterThan(0.5);
    }
  });

  it('prices SKUs like a grocer: .49/.99 endings, 25–45 % margin, floor below list, ceiling above', () => {
    for (const sku of retailer.skus) {
      expect([49, 99]).toContain(Math.round(sku.listPrice * 100) % 100);
      const margin = 1 - sku.unitCost / sku.listPrice;
      expect(margin).toBeGreaterThanOrEqual(0.25);
      expect(margin).toBeLessThanOrEqual(0.45);
      const [minLife, maxLife] = SHELF_LIFE[sku.category] as [number, number];
      expect(sku.shelfLifeDays).toBeGreaterThanOrEqual(minLife);
      expect(sku.shelfLifeDays).toBeLessThanOrEqual(maxLife);
      expect(sku.salvageValue).toBeGreaterThanOrEqual(0);
      expect(sku.salvageValue).toBeLessThanOrEqual(sku.unitCost * 0.1 + 0.005);
      expect(sku.priceFloor).toBeCloseTo(sku.unitCost * 0.8, 2);
      expect(sku.priceCeiling).toBeCloseTo(sku.listPrice * 1.2, 2);
      expect(sku.priceFloor).toBeLessThan(sku.listPrice);
    }
  });

  it('keeps every own-price elasticity in [−3.5, −1.2], with a real spread', () => {
    const elasticities = retailer.stores.flatMap((store) => retailer.skus.map((sku) => retailer.demandParams(store.id, sku.code).elasticity));
    expect(elasticities).toHaveLength(750);
    for (const elasticity of elasticities) {
      expect(elasticity).toBeGreaterThanOrEqual(MIN_ELASTICITY);
      expect(elasticity).toBeLessThanOrEqual(MAX_ELASTICITY);
    }
    expect(Math.max(...elasticities) - Math.min(...elasticities)).toBeGreaterThan(1);
  });

  it('is deterministic from its seed', () => {
    const again = buildDemoRetailer();
    expect(again.stores).toEqual(retailer.stores);
    expect(again.skus).toEqual(retailer.skus);
    expect(again.demandParams('S03', 'PRD-077')).toEqual(retailer.demandParams('S03', 'PRD-077'));
    const other = buildDemoRetailer({ seed: 99 });
    expect(other.skus.map((sku) => sku.listPrice)).not.toEqual(retailer.skus.map((sku) => sku.listPrice));
    expect(other.demandParams('S03', 'PRD-077')).not.toEqual(retailer.demandParams('S03', 'PRD-077'));
  });

  it('sizes the catalog on request and rejects nonsense', () => {
    const big = buildDemoRetailer({ stores: 10, skusPerCategory: 40 });
    expect(big.stores).toHaveLength(10);
    expect(big.skus).toHaveLength(200);
    expect(new Set(big.skus.map((sku) => sku.name)).size).toBe(200);
    expect(new Set(big.stores.map((store) => store.name)).size).toBe(10);
    expect(() => buildDemoRetailer({ stores: 0 })).toThrow(DomainError);
    expect(() => buildDemoRetailer({ skusPerCategory: 2.5 })).toThrow(/skusPerCategory/);
  });
});

describe('true demand', () => {
  const retailer = buildDemoRetailer();

  it('decreases strictly with price for every store × SKU', () => {
    for (const store of retailer.stores) {
      for (const sku of retailer.skus) {
        let previous = Number.POSITIVE_INFINITY;
        for (let ratio = 0.4; ratio <= 1.3; ratio += 0.05) {
          const demand = retailer.expectedDemand(store.id, sku.code, sku.listPrice * ratio, sku.shelfLifeDays, 3);
          expect(demand).toBeLessThan(previous);
          expect(demand).toBeGreaterThan(0);
          previous = demand;
        }
      }
    }
  });

  it('follows constant elasticity: demand ∝ (price / list)^elasticity', () => {
    const sku = retailer.sku('PRD-010');
    const { elasticity } = retailer.demandParams('S02', sku.code);
    const atList = retailer.expectedDemand('S02', sku.code, sku.listPrice, sku.shelfLifeDays, 2);
    const discounted = retailer.expectedDemand('S02', sku.code, sku.listPrice * 0.8, sku.shelfLifeDays, 2);
    expect(discounted / atList).toBeCloseTo(0.8 ** elasticity, 9);
  });

  it('falls as the offered lot nears expiry, and peaks at the weekend', () => {
    const sku = retailer.skus.find((candidate) => candidate.category === 'produce' && candidate.shelfLifeDays >= 5);
    if (!sku) throw new Error('the demo catalog has long-life produce');
    const byDaysLeft = [1, 2, 3, sku.shelfLifeDays].map((left) => retailer.expectedDemand('S01', sku.code, sku.listPrice, left, 3));
    expect(byDaysLeft).toEqual([...byDaysLeft].sort((a, b) => a - b));
    expect(byDaysLeft[0]).toBeLessThan(0.8 * (byDaysLeft[3] as number));
    const saturday = retailer.expectedDemand('S01', sku.code, sku.listPrice, sku.shelfLifeDays, 6);
    const tuesday = retailer.expectedDemand('S01', sku.code, sku.listPrice, sku.shelfLifeDays, 2);
    expect(saturday).toBeGreaterThan(1.2 * tuesday);
    expect(expiryMultiplier(1, 1, 0.6)).toBe(1);
    expect(expiryMultiplier(1, 4, 0.6)).toBeCloseTo(0.4, 12);
  });

  it('validates its inputs', () => {
    expect(() => retailer.expectedDemand('S01', 'PRD-001', 0, 3, 1)).toThrow(/price/);
    expect(() => retailer.expectedDemand('S01', 'PRD-001', 1, 3, 7)).toThrow(/dayOfWeek/);
    expect(() => retailer.expectedDemand('S99', 'PRD-001', 1, 3, 1)).toThrow(/S99/);
  });
});

describe(snapToPriceEnding.name, () => {
  it('snaps to the nearest .49 or .99', () => {
    expect(snapToPriceEnding(2.1)).toBe(1.99);
    expect(snapToPriceEnding(2.4)).toBe(2.49);
    expect(snapToPriceEnding(2.8)).toBe(2.99);
    expect(snapToPriceEnding(0.2)).toBe(0.49);
  });
});
