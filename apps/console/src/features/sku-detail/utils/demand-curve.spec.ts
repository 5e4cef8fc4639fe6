import { describe, expect, it } from 'vitest';
import { decision } from '../../../test/fixtures';
import { demandCurve } from './demand-curve';

describe(demandCurve.name, () => {
  it('puts the chosen price among its runner-ups, by price, each with why it lost', () => {
    const points = demandCurve(decision());
    expect(points.map((p) => [p.price, p.kind, p.excludedBy])).toEqual([
      [1.49, 'lowerProfit', null],
      [1.69, 'lowerProfit', null],
      [1.79, 'chosen', null],
      [1.89, 'excluded', 'ceiling'],
    ]);
    expect(points.find((p) => p.kind === 'chosen')).toMatchObject({ expectedUnits: 11.02, expectedProfit: 8.49 });
  });

  it('has nothing to plot for a price that was not chosen among candidates', () => {
    expect(demandCurve(decision({ reason: 'legacy', runnersUp: [] }))).toEqual([]);
  });
});
