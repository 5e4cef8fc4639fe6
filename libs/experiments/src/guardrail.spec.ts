import { SeededRandom } from '@dynaprice/kernel';
import { guardrailCheck } from './guardrail';
import { initialSequentialState, msprtRadius } from './sequential';

const options = { alpha: 0.05, mixingVariance: 0.05 ** 2 };

describe(guardrailCheck.name, () => {
  it('breaches when the whole always-valid interval is worse than the tolerance', () => {
    // Margin per exposure −10 % ± 3.1 % (radius √(V (V+τ²)/τ² (ln((V+τ²)/V) − 2 ln α)) at V = 1e-4): below −2 %.
    const result = guardrailCheck({ look: { estimate: -0.1, variance: 1e-4 }, direction: 'higher_is_better', tolerance: 0.02, options });
    const radius = msprtRadius(1e-4, options.mixingVariance, 0.05);
    expect(result.state.confidenceInterval).toEqual([-0.1 - radius, -0.1 + radius]);
    expect(result.breached).toBe(true);
    expect(result.reason).toMatch(/below −0.02/);
  });

  it('does not breach when the interval still reaches into the tolerance', () => {
    const result = guardrailCheck({ look: { estimate: -0.04, variance: 1e-4 }, direction: 'higher_is_better', tolerance: 0.02, options });
    expect(result.state.confidenceInterval![1]).toBeGreaterThan(-0.02);
    expect(result.breached).toBe(false);
    expect(result.reason).toBeNull();
  });

  it('reads lower-is-better metrics the other way round (waste up 12 % against a 5 % tolerance)', () => {
    expect(guardrailCheck({ look: { estimate: 0.12, variance: 1e-4 }, direction: 'lower_is_better', tolerance: 0.05, options }).breached).toBe(true);
    expect(guardrailCheck({ look: { estimate: -0.12, variance: 1e-4 }, direction: 'lower_is_better', tolerance: 0.05, options }).breached).toBe(false);
  });

  it('continues from the previous state, so one noisy day cannot reopen a closed interval', () => {
    const first = guardrailCheck({ look: { estimate: -0.1, variance: 1e-4 }, direction: 'higher_is_better', tolerance: 0.02, options });
    const second = guardrailCheck({ look: { estimate: 0, variance: 0.01 }, direction: 'higher_is_better', tolerance: 0.02, state: first.state, options });
    expect(second.state.looks).toBe(2);
    expect(second.breached).toBe(true);
  });

  it('rarely falls back in A/A experiments checked every day (300 experiments × 30 days)', () => {
    const random = new SeededRandom(4242);
    let falseFallbacks = 0;
    for (let e = 0; e < 300; e++) {
      let state = initialSequentialState(options);
      let breached = false;
      // Daily relative-lift estimates of a no-effect experiment whose standard error shrinks as 1/√day.
      let sum = 0;
      for (let day = 1; day <= 30; day++) {
        sum += random.normal(0, 0.08);
        const result = guardrailCheck({ look: { estimate: sum / day, variance: 0.0064 / day }, direction: 'higher_is_better', tolerance: 0, state, options });
        state = result.state;
        breached ||= result.breached;
      }
      if (breached) falseFallbacks++;
    }
    // One-sided use of a two-sided α = 0.05 sequence: at most α/2 in theory; allow sampling error.
    expect(falseFallbacks / 300).toBeLessThan(0.05);
  });

  it('refuses a negative tolerance', () => {
    expect(() => guardrailCheck({ look: { estimate: 0, variance: 1 }, direction: 'higher_is_better', tolerance: -0.1, options })).toThrow(RangeError);
  });
});
