/** Additive attributions of one prediction (TreeSHAP): base value + Σ contributions = prediction. */
export interface Attribution {
  feature: string;
  contribution: number;
}

export interface WaterfallStep {
  label: string;
  /** Bar from `start` to `end` (a contribution), or from 0 (the base value and the prediction). */
  start: number;
  end: number;
  value: number;
  kind: 'base' | 'positive' | 'negative' | 'prediction';
}

/**
 * The waterfall of an explanation: the base value, then contributions by size (the largest `top`,
 * the rest folded into one step), then the prediction they add up to.
 */
export function waterfallSteps(baseValue: number, attributions: readonly Attribution[], top = 8): WaterfallStep[] {
  const sorted = [...attributions].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const shown = sorted.slice(0, top);
  const rest = sorted.slice(top);
  if (rest.length > 0) shown.push({ feature: `${rest.length} other feature${rest.length === 1 ? '' : 's'}`, contribution: rest.reduce((sum, a) => sum + a.contribution, 0) });
  const steps: WaterfallStep[] = [{ label: 'Base value', start: 0, end: baseValue, value: baseValue, kind: 'base' }];
  let running = baseValue;
  for (const { feature, contribution } of shown) {
    steps.push({ label: feature, start: running, end: running + contribution, value: contribution, kind: contribution >= 0 ? 'positive' : 'negative' });
    running += contribution;
  }
  steps.push({ label: 'Prediction', start: 0, end: running, value: running, kind: 'prediction' });
  return steps;
}
