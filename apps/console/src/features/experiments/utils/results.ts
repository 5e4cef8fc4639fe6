import type { Schemas } from '@dynaprice/api-client';
import { fieldOf, numberOf, stringOf } from '../../../shared/utils/untyped';

/**
 * The parts of GET /v1/experiments/{id}/results the console shows. The API's document types most of
 * the answer as free objects (libs/experiments `ExperimentResults` in code), so each value is read
 * and checked here rather than assumed.
 */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
  pValue: number | null;
}

export interface VariantSummary {
  variant: string;
  weight: number | null;
  unitCount: number | null;
  observedShare: number | null;
  exposures: number | null;
  grossMargin: number | null;
  marginPerExposure: number | null;
}

export interface ComparisonSummary {
  variant: string;
  /** Relative lift of margin per exposure (0.05 = +5 %), plain and CUPED-adjusted. */
  lift: Interval | null;
  cupedLift: Interval | null;
  varianceReduction: number | null;
  sequential: { significant: boolean; pValue: number | null; looks: number | null; interval: [number, number] | null } | null;
  fallbackRecommended: boolean;
  breachedGuardrails: string[];
}

export interface ResultsSummary {
  variants: VariantSummary[];
  srm: { flagged: boolean; pValue: number | null; threshold: number | null } | null;
  comparisons: ComparisonSummary[];
  warnings: string[];
}

function interval(value: unknown): Interval | null {
  const estimate = numberOf(value, 'estimate');
  const bounds = fieldOf(value, 'confidenceInterval');
  if (estimate === null || !Array.isArray(bounds) || typeof bounds[0] !== 'number' || typeof bounds[1] !== 'number') return null;
  return { estimate, lower: bounds[0], upper: bounds[1], pValue: numberOf(value, 'pValue') };
}

function pair(value: unknown): [number, number] | null {
  return Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'number' ? [value[0], value[1]] : null;
}

export function summariseResults(results: Schemas['ExperimentResultsResponseDto']): ResultsSummary {
  const srm = results.srm as unknown;
  return {
    variants: results.variants.map((variant: unknown) => ({
      variant: stringOf(variant, 'variant') ?? '?',
      weight: numberOf(variant, 'weight'),
      unitCount: numberOf(variant, 'unitCount'),
      observedShare: numberOf(variant, 'observedShare'),
      exposures: numberOf(variant, 'exposures'),
      grossMargin: numberOf(variant, 'grossMargin'),
      marginPerExposure: numberOf(variant, 'marginPerExposure'),
    })),
    srm: fieldOf(srm, 'flagged') === undefined ? null : { flagged: fieldOf(srm, 'flagged') === true, pValue: numberOf(srm, 'pValue'), threshold: numberOf(srm, 'threshold') },
    comparisons: results.comparisons.map((comparison: unknown) => {
      const primary = fieldOf(comparison, 'primary');
      const cuped = fieldOf(primary, 'cuped');
      const state = fieldOf(fieldOf(primary, 'sequential'), 'state');
      const guardrails = fieldOf(comparison, 'guardrails');
      return {
        variant: stringOf(comparison, 'variant') ?? '?',
        lift: interval(fieldOf(fieldOf(primary, 'plain'), 'relativeLift')),
        cupedLift: interval(fieldOf(cuped, 'relativeLift')),
        varianceReduction: numberOf(cuped, 'varianceReduction'),
        sequential: state === undefined ? null : { significant: fieldOf(state, 'significant') === true, pValue: numberOf(state, 'pValue'), looks: numberOf(state, 'looks'), interval: pair(fieldOf(state, 'confidenceInterval')) },
        fallbackRecommended: fieldOf(comparison, 'fallbackRecommended') === true,
        breachedGuardrails: Array.isArray(guardrails) ? guardrails.filter((g) => fieldOf(g, 'breached') === true).map((g) => stringOf(g, 'metric') ?? '?') : [],
      };
    }),
    warnings: results.warnings,
  };
}
