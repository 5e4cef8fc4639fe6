import type { RegressionMetrics } from './types';

/**
 * RMSE, MAE, WAPE (Σ|u − û| / Σu) and RMSE on log1p (log1p(max(û, 0)) vs log1p(max(u, 0))), all
 * in target units. WAPE is NaN when the actual units sum to 0.
 */
export function regressionMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionMetrics {
  const n = actual.length;
  let se = 0;
  let ae = 0;
  let total = 0;
  let seLog = 0;
  for (let i = 0; i < n; i++) {
    const u = actual[i] as number;
    const p = predicted[i] as number;
    const d = u - p;
    se += d * d;
    ae += Math.abs(d);
    total += u;
    const dl = Math.log1p(Math.max(u, 0)) - Math.log1p(Math.max(p, 0));
    seLog += dl * dl;
  }
  return {
    rows: n,
    rmse: n > 0 ? Math.sqrt(se / n) : Number.NaN,
    mae: n > 0 ? ae / n : Number.NaN,
    wape: total !== 0 ? ae / total : Number.NaN,
    rmseLog1p: n > 0 ? Math.sqrt(seLog / n) : Number.NaN,
  };
}

/** Root mean squared difference of two equally long series. */
export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let se = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = (actual[i] as number) - (predicted[i] as number);
    se += d * d;
  }
  return Math.sqrt(se / actual.length);
}
