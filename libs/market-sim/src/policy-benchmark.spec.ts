import { benchmarkPolicies } from './policy-benchmark';
import { buildDemoRetailer, DEMO_PRICE_ENDINGS } from './retailer';

describe(benchmarkPolicies.name, () => {
  const run = () =>
    benchmarkPolicies({
      retailer: buildDemoRetailer({ seed: 7, stores: 2, skusPerCategory: 10 }),
      historyDays: 42,
      evaluationDays: 7,
      startDate: '2026-06-01',
      seed: 7,
      guardrails: { priceEndings: DEMO_PRICE_ENDINGS },
    });

  it('has the model-driven engine beat the legacy rule and stay below the true-demand oracle', () => {
    const margin = Object.fromEntries(run().results.map((result) => [result.policy, result.margin]));
    expect(margin['model']).toBeGreaterThan((margin['legacy'] as number) * 1.03);
    expect(margin['oracle']).toBeGreaterThanOrEqual(margin['model'] as number);
    expect(margin['oracle']).toBeGreaterThan(margin['legacy'] as number);
    expect(margin['oracle']).toBeGreaterThan(margin['list'] as number);
  });

  it('is deterministic from its seed', () => {
    expect(run().results).toEqual(run().results);
  });
});
