import type { Schemas } from '@dynaprice/api-client';
import { describe, expect, it } from 'vitest';
import { summariseResults } from './results';

function results(patch: Record<string, unknown>): Schemas['ExperimentResultsResponseDto'] {
  return { variants: [], srm: {}, comparisons: [], warnings: [], ...patch } as unknown as Schemas['ExperimentResultsResponseDto'];
}

describe(summariseResults.name, () => {
  it('reads the SRM flag, totals, lift with its interval and the sequential state', () => {
    const summary = summariseResults(
      results({
        variants: [{ variant: 'legacy', weight: 0.7, unitCount: 520, observedShare: 0.52, exposures: 1000, grossMargin: 900, marginPerExposure: 0.9 }],
        srm: { flagged: true, pValue: 0.00002, threshold: 0.001 },
        comparisons: [
          {
            variant: 'model',
            primary: {
              plain: { relativeLift: { estimate: 0.12, confidenceInterval: [0.05, 0.19], pValue: 0.001 } },
              cuped: { relativeLift: { estimate: 0.11, confidenceInterval: [0.07, 0.15], pValue: 0.0001 }, varianceReduction: 0.4 },
              sequential: { state: { significant: true, pValue: 0.01, looks: 9, confidenceInterval: [0.02, 0.2] } },
            },
            guardrails: [{ metric: 'wasteRate', breached: true }, { metric: 'marginPerExposure', breached: false }],
            fallbackRecommended: true,
          },
        ],
        warnings: ['few units'],
      }),
    );
    expect(summary.srm).toEqual({ flagged: true, pValue: 0.00002, threshold: 0.001 });
    expect(summary.variants[0]).toMatchObject({ variant: 'legacy', unitCount: 520, marginPerExposure: 0.9 });
    expect(summary.comparisons[0]).toEqual({
      variant: 'model',
      lift: { estimate: 0.12, lower: 0.05, upper: 0.19, pValue: 0.001 },
      cupedLift: { estimate: 0.11, lower: 0.07, upper: 0.15, pValue: 0.0001 },
      varianceReduction: 0.4,
      sequential: { significant: true, pValue: 0.01, looks: 9, interval: [0.02, 0.2] },
      fallbackRecommended: true,
      breachedGuardrails: ['wasteRate'],
    });
  });

  it('shows nothing it cannot read rather than guessing', () => {
    const summary = summariseResults(results({ comparisons: [{ variant: 'model', primary: null, guardrails: 'n/a' }], srm: {} }));
    expect(summary.srm).toBeNull();
    expect(summary.comparisons[0]).toMatchObject({ lift: null, cupedLift: null, sequential: null, breachedGuardrails: [] });
  });
});
