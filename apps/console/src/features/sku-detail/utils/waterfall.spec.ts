import { describe, expect, it } from 'vitest';
import { waterfallSteps } from './waterfall';

describe(waterfallSteps.name, () => {
  it('walks from the base value through each contribution to the prediction', () => {
    const steps = waterfallSteps(5, [
      { feature: 'price_ratio', contribution: -2 },
      { feature: 'stock_units', contribution: 3 },
      { feature: 'day_of_week', contribution: 0.5 },
    ]);
    expect(steps.map((s) => [s.label, s.start, s.end, s.kind])).toEqual([
      ['Base value', 0, 5, 'base'],
      ['stock_units', 5, 8, 'positive'],
      ['price_ratio', 8, 6, 'negative'],
      ['day_of_week', 6, 6.5, 'positive'],
      ['Prediction', 0, 6.5, 'prediction'],
    ]);
  });

  it('folds the smallest contributions into one step and still adds up', () => {
    const attributions = Array.from({ length: 12 }, (_, i) => ({ feature: `f${i}`, contribution: i + 1 }));
    const steps = waterfallSteps(1, attributions, 8);
    expect(steps).toHaveLength(11);
    expect(steps[9]).toMatchObject({ label: '4 other features', value: 10 });
    expect(steps.at(-1)?.end).toBe(1 + 78);
  });
});
