/**
 * Always-valid inference with the mixture sequential probability ratio test (mSPRT) and a normal mixing
 * distribution, as in Johari, Koomen, Pekelis & Walsh, "Always Valid Inference: Continuous Monitoring of
 * A/B Tests" (Operations Research 70(3), 2022) and Optimizely's / Eppo's sequential engines.
 *
 * For an asymptotically normal estimate δ̂ of an effect δ with variance V, and a N(0, τ²) mixture over
 * the alternative, the mixture likelihood ratio against δ = δ₀ is
 *   Λ = √(V / (V + τ²)) · exp( τ² (δ̂ − δ₀)² / (2 V (V + τ²)) ).
 * Λ is a non-negative martingale under the null, so by Ville's inequality P(sup Λ ≥ 1/α) ≤ α:
 * the running minimum of 1/Λ is a p-value valid at every look, and {δ₀ : Λ(δ₀) < 1/α} is a confidence
 * sequence, δ̂ ± √( V (V + τ²)/τ² · (ln((V + τ²)/V) − 2 ln α) ), whose running intersection covers δ at
 * all looks simultaneously with probability ≥ 1 − α. Peeking every day is therefore safe.
 */

/** One look at the data: the current cumulative estimate of the effect and the variance of that estimate. */
export interface SequentialLook {
  estimate: number;
  variance: number;
}

export interface SequentialOptions {
  /** Significance level, default 0.05. */
  alpha?: number;
  /**
   * τ², the variance of the normal mixing distribution over effect sizes, in squared units of the
   * estimate. Choose it before the experiment (e.g. the square of the smallest effect worth detecting)
   * and keep it for the whole experiment: the state remembers it.
   */
  mixingVariance: number;
}

/** The state carried from one look to the next; plain JSON-compatible data, so it can be stored between daily runs. */
export interface SequentialState {
  alpha: number;
  mixingVariance: number;
  looks: number;
  /** The latest estimate and its standard error (null before the first look). */
  estimate: number | null;
  standardError: number | null;
  /** ln Λ at the latest look, against no effect. */
  logLikelihoodRatio: number | null;
  /** Always-valid p-value: min over looks of min(1, 1/Λ). Never increases. */
  pValue: number;
  /** Running intersection of the confidence sequence (null before the first look). */
  confidenceInterval: [lower: number, upper: number] | null;
  /** pValue < alpha; once true it stays true. */
  significant: boolean;
}

/** ln Λ of a look against the null δ = δ₀ (default 0). */
export function msprtLogLikelihoodRatio(look: SequentialLook, mixingVariance: number, nullValue = 0): number {
  assertLook(look, mixingVariance);
  const v = look.variance;
  const deviation = look.estimate - nullValue;
  return 0.5 * Math.log(v / (v + mixingVariance)) + (mixingVariance * deviation * deviation) / (2 * v * (v + mixingVariance));
}

/** Half-width of the confidence sequence at one look. */
export function msprtRadius(variance: number, mixingVariance: number, alpha: number): number {
  assertLook({ estimate: 0, variance }, mixingVariance);
  return Math.sqrt(((variance * (variance + mixingVariance)) / mixingVariance) * (Math.log((variance + mixingVariance) / variance) - 2 * Math.log(alpha)));
}

function assertLook(look: SequentialLook, mixingVariance: number): void {
  if (!(look.variance > 0) || !Number.isFinite(look.variance)) throw new RangeError(`variance must be finite and positive (got ${look.variance})`);
  if (!Number.isFinite(look.estimate)) throw new RangeError(`estimate must be finite (got ${look.estimate})`);
  if (!(mixingVariance > 0) || !Number.isFinite(mixingVariance)) throw new RangeError(`mixingVariance must be finite and positive (got ${mixingVariance})`);
}

/** The state before any look. */
export function initialSequentialState(options: SequentialOptions): SequentialState {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1) (got ${alpha})`);
  if (!(options.mixingVariance > 0) || !Number.isFinite(options.mixingVariance)) throw new RangeError(`mixingVariance must be finite and positive (got ${options.mixingVariance})`);
  return {
    alpha,
    mixingVariance: options.mixingVariance,
    looks: 0,
    estimate: null,
    standardError: null,
    logLikelihoodRatio: null,
    pValue: 1,
    confidenceInterval: null,
    significant: false,
  };
}

/** Folds one more look into the state (pure: returns a new state). α and τ² come from the state. */
export function updateSequentialTest(state: SequentialState, look: SequentialLook): SequentialState {
  const logLr = msprtLogLikelihoodRatio(look, state.mixingVariance);
  const pValue = Math.min(state.pValue, Math.min(1, Math.exp(-logLr)));
  const radius = msprtRadius(look.variance, state.mixingVariance, state.alpha);
  const latest: [number, number] = [look.estimate - radius, look.estimate + radius];
  let interval = latest;
  if (state.confidenceInterval) {
    const lower = Math.max(state.confidenceInterval[0], latest[0]);
    const upper = Math.min(state.confidenceInterval[1], latest[1]);
    // An empty intersection is itself a (≤ α) miscoverage event; keep the latest interval rather than none.
    interval = lower <= upper ? [lower, upper] : latest;
  }
  return {
    ...state,
    looks: state.looks + 1,
    estimate: look.estimate,
    standardError: Math.sqrt(look.variance),
    logLikelihoodRatio: logLr,
    pValue,
    confidenceInterval: interval,
    significant: state.significant || pValue < state.alpha,
  };
}

/** Runs the test over a series of looks from scratch. */
export function sequentialTest(looks: readonly SequentialLook[], options: SequentialOptions): SequentialState {
  return looks.reduce(updateSequentialTest, initialSequentialState(options));
}
