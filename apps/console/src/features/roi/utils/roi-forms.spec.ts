import { describe, expect, it } from 'vitest';
import { parseCostForm, parseOutcomeForm } from './roi-forms';

describe(parseCostForm.name, () => {
  it('makes a monthly cost with its last month, or a one-off without', () => {
    expect(parseCostForm({ category: 'cloud', description: ' Fargate ', recurrence: 'monthly', amount: '5000', effectiveFrom: '2026-01', effectiveTo: '2026-03' }).body).toEqual({
      category: 'cloud',
      recurrence: 'monthly',
      amount: 5000,
      effectiveFrom: '2026-01',
      effectiveTo: '2026-03',
      description: 'Fargate',
    });
    expect(parseCostForm({ category: 'development', description: '', recurrence: 'one_off', amount: '10000', effectiveFrom: '2026-01', effectiveTo: '2026-12' }).body).toEqual({
      category: 'development',
      recurrence: 'one_off',
      amount: 10000,
      effectiveFrom: '2026-01',
    });
  });

  it('refuses a missing amount or month and a last month before the first', () => {
    expect(Object.keys(parseCostForm({ category: 'cloud', description: '', recurrence: 'monthly', amount: '', effectiveFrom: '', effectiveTo: '' }).errors).sort()).toEqual(['amount', 'effectiveFrom']);
    expect(parseCostForm({ category: 'cloud', description: '', recurrence: 'monthly', amount: '1', effectiveFrom: '2026-05', effectiveTo: '2026-02' }).errors.effectiveTo).toBeDefined();
  });
});

describe(parseOutcomeForm.name, () => {
  it('takes the lift in percent and a quarter or a month', () => {
    expect(parseOutcomeForm({ period: '2026-q1', description: '', baseline: '308333.33', liftPct: '12', scaleToBusiness: '' }).body).toEqual({
      period: '2026-Q1',
      baseline: 308333.33,
      relativeLift: 0.12,
      scaleToBusiness: 1,
    });
    expect(parseOutcomeForm({ period: '2026-13', description: '', baseline: '1', liftPct: '1', scaleToBusiness: '' }).errors.period).toBeDefined();
  });
});
