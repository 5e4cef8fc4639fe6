import { initialSequentialState, updateSequentialTest, type SequentialLook, type SequentialOptions, type SequentialState } from './sequential';

/** Whether a larger value of the metric is good (margin per exposure) or bad (waste rate). */
export type MetricDirection = 'higher_is_better' | 'lower_is_better';

export interface GuardrailCheckInput {
  /** The effect on the guardrail metric at this look (treatment vs control, e.g. relative lift) and its variance. */
  look: SequentialLook;
  direction: MetricDirection;
  /** The regression tolerated before falling back, ≥ 0, in the units of the effect (0.02 = 2 % when the effect is a relative lift). */
  tolerance: number;
  /** The state from the previous look; omit on the first look. */
  state?: SequentialState;
  /** Used to start a new state when `state` is omitted. */
  options: SequentialOptions;
}

export interface GuardrailCheckResult {
  /** True when the treatment is significantly worse than control by more than the tolerance: fall back to legacy. */
  breached: boolean;
  /** Human-readable reason when breached, for the experiment's record. */
  reason: string | null;
  state: SequentialState;
}

/**
 * Guardrail check for automatic fallback, on the always-valid confidence sequence of the mSPRT: it is
 * breached when the whole interval lies on the harmful side beyond the tolerance (upper bound < −tolerance
 * for higher-is-better metrics, lower bound > tolerance for lower-is-better ones). Because the confidence
 * sequence is valid at every look, checking it daily (or on every batch) keeps the probability of a false
 * fallback at most alpha.
 */
export function guardrailCheck(input: GuardrailCheckInput): GuardrailCheckResult {
  if (!(input.tolerance >= 0) || !Number.isFinite(input.tolerance)) throw new RangeError(`tolerance must be finite and ≥ 0 (got ${input.tolerance})`);
  const state = updateSequentialTest(input.state ?? initialSequentialState(input.options), input.look);
  const interval = state.confidenceInterval;
  if (!interval) return { breached: false, reason: null, state };
  const [lower, upper] = interval;
  const breached = input.direction === 'higher_is_better' ? upper < -input.tolerance : lower > input.tolerance;
  const reason = breached
    ? input.direction === 'higher_is_better'
      ? `effect ${fmt(state.estimate)} with always-valid ${pct(1 - state.alpha)} interval [${fmt(lower)}, ${fmt(upper)}] is below −${fmt(input.tolerance)}`
      : `effect ${fmt(state.estimate)} with always-valid ${pct(1 - state.alpha)} interval [${fmt(lower)}, ${fmt(upper)}] is above ${fmt(input.tolerance)}`
    : null;
  return { breached, reason, state };
}

function fmt(value: number | null): string {
  return value === null ? 'n/a' : value.toPrecision(4);
}

function pct(value: number): string {
  return `${Math.round(value * 1000) / 10} %`;
}
