import { MS_PER_DAY } from './catalog-types';
import { buildDemandContext, type LotPosition } from './demand-context';

const pricingAt = Date.UTC(2026, 5, 10, 6);
const at = (hoursFromNow: number): number => pricingAt + hoursFromNow * 3_600_000;

function contextOf(lots: LotPosition[]): ReturnType<typeof buildDemandContext> {
  return buildDemandContext({
    category: 'dairy',
    shelfLifeDays: 9,
    listPrice: 2.49,
    lots,
    pricingAt,
    dayOfWeek: 3,
    recent: { velocity7d: 4, priceRatio7d: 1 },
  });
}

describe(buildDemandContext.name, () => {
  it('sums the stock by whole days left, soonest first, and leaves out empty and expired lots', () => {
    const context = contextOf([
      { quantity: 7, expiresAt: at(60) }, // 3 days left
      { quantity: 5, expiresAt: at(15) }, // tonight
      { quantity: 0, expiresAt: at(20) },
      { quantity: 9, expiresAt: at(-1) }, // expired: waste to report, not stock
      { quantity: 4, expiresAt: at(50) }, // 3 days left
      { quantity: 2, expiresAt: new Date(pricingAt + 1.5 * MS_PER_DAY) },
    ]);
    expect(context.stockAges).toEqual([
      { daysLeft: 1, units: 5 },
      { daysLeft: 2, units: 2 },
      { daysLeft: 3, units: 11 },
    ]);
    expect(context).toMatchObject({ stockUnits: 18, expiringUnits: 5, daysToExpiry: 1 });
  });

  it('offers a fresh lot’s shelf life when nothing is in stock', () => {
    const context = contextOf([]);
    expect(context).toMatchObject({ stockUnits: 0, expiringUnits: 0, daysToExpiry: 9, stockAges: [] });
  });
});
