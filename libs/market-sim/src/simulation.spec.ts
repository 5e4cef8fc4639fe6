import { DomainError, wallClockAt } from '@dynaprice/kernel';
import { daysToExpiry, summariseRecentSales } from '@dynaprice/pricing';
import fc from 'fast-check';
import { buildDemoRetailer } from './retailer';
import { MarketSimulation, slotKey, type DayResult, type SaleEvent, type SlotState } from './simulation';

// Four stores: three in London, one in Chicago; one SKU per category.
const retailer = buildDemoRetailer({ stores: 4, skusPerCategory: 1 });
const atList = (slot: SlotState): number => slot.listPrice;

function run(seed: number, days: number, price: (slot: SlotState) => number = atList): DayResult[] {
  const simulation = new MarketSimulation({ retailer, startDate: '2025-03-24', seed });
  return Array.from({ length: days }, () => simulation.runDay(price));
}

describe(MarketSimulation.name, () => {
  it('is deterministic: same seed, same events and observations; another seed, others', () => {
    const first = run(5, 20);
    expect(run(5, 20)).toEqual(first);
    const other = run(6, 20);
    expect(other.flatMap((day) => day.observations.map((o) => o.unitsSold))).not.toEqual(first.flatMap((day) => day.observations.map((o) => o.unitsSold)));
    expect(other.flatMap((day) => day.sales.map((sale) => sale.idempotencyKey))).not.toEqual(first.flatMap((day) => day.sales.map((sale) => sale.idempotencyKey)));
  });

  it('never sells more than stock, keeps stock non-negative, wastes only expired lots and conserves units, whatever the prices', () => {
    const slotCount = retailer.stores.length * retailer.skus.length;
    const days = 12;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 30, max: 180 }), { minLength: days * slotCount, maxLength: days * slotCount }),
        (seed, percents) => {
          const simulation = new MarketSimulation({ retailer, startDate: '2025-10-20', seed });
          for (let day = 0; day < days; day++) {
            const open = simulation.openDay();
            for (const slot of open.slots) {
              expect(slot.lots.every((lot) => lot.quantity > 0)).toBe(true);
              expect(slot.context.stockUnits).toBe(slot.lots.reduce((sum, lot) => sum + lot.quantity, 0));
            }
            const result = simulation.closeDay((slot) => (slot.listPrice * (percents[day * slotCount + slot.storeIndex * retailer.skus.length + slot.skuIndex] as number)) / 100);
            result.observations.forEach((observation, index) => {
              const slot = open.slots[index] as SlotState;
              expect(observation.unitsSold).toBeGreaterThanOrEqual(0);
              expect(observation.unitsSold).toBeLessThanOrEqual(slot.context.stockUnits);
              // FIFO: the expiring (oldest) units go first, so exactly the unsold part of them is waste.
              expect(observation.wasteUnits).toBe(Math.max(0, slot.context.expiringUnits - observation.unitsSold));
              const sold = result.sales.filter((sale) => sale.storeId === slot.storeId && sale.skuCode === slot.skuCode);
              expect(sold.reduce((sum, sale) => sum + sale.quantity, 0)).toBe(observation.unitsSold);
            });
            for (const waste of result.waste) {
              const lot = open.slots.flatMap((slot) => slot.lots).find((candidate) => candidate.storeId === waste.storeId && candidate.skuCode === waste.skuCode && +candidate.expiresAt === +waste.wastedAt);
              expect(lot).toBeDefined();
              const pricingAt = open.slots.find((slot) => slot.storeId === waste.storeId)?.pricingAt as Date;
              expect(daysToExpiry(waste.wastedAt, pricingAt)).toBe(1);
            }
          }
          for (const row of simulation.ledger()) {
            expect(row.onHandUnits).toBeGreaterThanOrEqual(0);
            expect(row.deliveredUnits).toBe(row.soldUnits + row.wastedUnits + row.onHandUnits);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('prices at 06:00 store time, with the weekday of the store, and sells during opening hours', () => {
    const simulation = new MarketSimulation({ retailer, startDate: '2025-05-31', seed: 1 }); // a Saturday
    for (let day = 0; day < 3; day++) {
      const open = simulation.openDay();
      for (const slot of open.slots) {
        const store = retailer.store(slot.storeId);
        const clock = wallClockAt(slot.pricingAt, store.timezone);
        expect([clock.hour, clock.minute]).toEqual([6, 0]);
        expect(slot.context.dayOfWeek).toBe((6 + day) % 7);
        expect(slot.date).toBe(`2025-0${day === 0 ? '5-31' : `6-0${day}`}`);
      }
      const result = simulation.closeDay(atList);
      for (const sale of result.sales) {
        const clock = wallClockAt(sale.soldAt, retailer.store(sale.storeId).timezone);
        expect(clock.hour).toBeGreaterThanOrEqual(8);
        expect(clock.hour).toBeLessThan(21);
      }
      for (const waste of result.waste) {
        const clock = wallClockAt(waste.wastedAt, retailer.store(waste.storeId).timezone);
        expect([clock.hour, clock.minute]).toEqual([0, 0]);
      }
    }
  });

  it('gives lots receivedAt and expiresAt = local midnight after the last sellable day', () => {
    const simulation = new MarketSimulation({ retailer, startDate: '2025-01-10', seed: 2 });
    const open = simulation.openDay();
    for (const slot of open.slots) {
      const [lot] = slot.lots;
      if (!lot) throw new Error('day 0 receives a delivery for every slot');
      expect(daysToExpiry(lot.expiresAt, slot.pricingAt)).toBe(slot.sku.shelfLifeDays);
      expect(wallClockAt(lot.expiresAt, retailer.store(slot.storeId).timezone)).toMatchObject({ hour: 0, minute: 0 });
      expect(+lot.receivedAt).toBeLessThan(+slot.pricingAt);
    }
  });

  it('computes velocity and price ratio from its own sale records, as the API would', () => {
    const simulation = new MarketSimulation({ retailer, startDate: '2025-02-03', seed: 3 });
    const sales: SaleEvent[] = [];
    for (let day = 0; day < 9; day++) sales.push(...simulation.runDay((slot) => slot.listPrice * (day % 2 === 0 ? 1 : 0.8)).sales);
    const open = simulation.openDay();
    for (const slot of open.slots) {
      const own = sales.filter((sale) => sale.storeId === slot.storeId && sale.skuCode === slot.skuCode);
      const expected = summariseRecentSales(own, slot.listPrice, slot.pricingAt);
      expect(slot.context.velocity7d).toBe(expected.velocity7d);
      expect(slot.context.priceRatio7d).toBeCloseTo(expected.priceRatio7d, 12);
      expect(slot.context.velocity7d).toBeGreaterThan(0);
      expect(slot.context.priceRatio7d).toBeLessThan(1);
    }
  });

  it('emits POS-shaped sales and waste with deterministic, unique idempotency keys', () => {
    const days = run(9, 25);
    const sales = days.flatMap((day) => day.sales);
    const waste = days.flatMap((day) => day.waste);
    expect(sales.length).toBeGreaterThan(100);
    expect(waste.length).toBeGreaterThan(0);
    const keys = [...sales, ...waste].map((event) => event.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(sales[0]?.idempotencyKey).toMatch(/^sim9-2025-03-24-S0\d-PRD-00\d-S1$/);
    for (const sale of sales) {
      expect([1, 2, 3]).toContain(sale.quantity);
      if (sale.customerId === undefined) {
        expect(sale.segment).toBeUndefined();
      } else {
        expect(sale.customerId).toMatch(/^C\d{6}$/);
        expect(['bronze', 'silver', 'gold']).toContain(sale.segment);
      }
    }
    const loyal = sales.filter((sale) => sale.customerId !== undefined).length / sales.length;
    expect(loyal).toBeGreaterThan(0.2);
    expect(loyal).toBeLessThan(0.5);
    for (const event of waste) expect(event).toMatchObject({ reason: 'expired', unitCost: retailer.sku(event.skuCode).unitCost });
  });

  it('keeps the books: revenue, cost of goods, waste cost net of salvage, margin after waste', () => {
    for (const day of run(4, 15)) {
      for (const row of day.accounting) {
        const sku = retailer.sku(row.skuCode);
        expect(row.revenue).toBeCloseTo(row.unitsSold * row.price, 6);
        expect(row.costOfGoodsSold).toBeCloseTo(row.unitsSold * sku.unitCost, 6);
        expect(row.wasteCost).toBeCloseTo(row.wasteUnits * (sku.unitCost - sku.salvageValue), 6);
        expect(row.grossMarginAfterWaste).toBeCloseTo(row.revenue - row.costOfGoodsSold - row.wasteCost, 6);
      }
    }
  });

  it('sells more at lower prices with the same demand shocks', () => {
    const units = (ratio: number): number =>
      run(8, 10, (slot) => slot.listPrice * ratio)
        .slice(0, 1)
        .flatMap((day) => day.observations)
        .reduce((sum, observation) => sum + observation.trueExpectedDemand, 0);
    expect(units(0.7)).toBeGreaterThan(units(1));
    const cheap = run(8, 1, (slot) => slot.listPrice * 0.7)[0]?.observations ?? [];
    const dear = run(8, 1, (slot) => slot.listPrice * 1.2)[0]?.observations ?? [];
    cheap.forEach((observation, index) => expect(observation.unitsSold).toBeGreaterThanOrEqual((dear[index]?.unitsSold ?? 0)));
  });

  it('takes prices from a map and refuses missing or invalid prices and out-of-order calls', () => {
    const simulation = new MarketSimulation({ retailer, startDate: '2025-01-10', seed: 2 });
    expect(() => simulation.closeDay(atList)).toThrow(DomainError);
    const open = simulation.openDay();
    expect(() => simulation.openDay()).toThrow(/is open/);
    const prices = new Map(open.slots.map((slot) => [slotKey(slot.storeId, slot.skuCode), slot.listPrice]));
    prices.delete(slotKey('S01', 'PRD-001'));
    expect(() => simulation.closeDay(prices)).toThrow(/S01\/PRD-001/);
    expect(() => simulation.closeDay(() => Number.NaN)).toThrow(/positive/);
    prices.set(slotKey('S01', 'PRD-001'), 1.99);
    const result = simulation.closeDay(prices);
    expect(result.observations.find((o) => o.storeId === 'S01' && o.skuCode === 'PRD-001')?.price).toBe(1.99);
    expect(simulation.day).toBe(1);
  });
});
