import type { Schemas } from '@dynaprice/api-client';

type Decision = Schemas['DecisionDto'];

export type CurvePointKind = 'chosen' | 'lowerProfit' | 'tieBreak' | 'excluded';

export interface CurvePoint {
  price: number;
  expectedUnits: number;
  expectedProfit: number;
  kind: CurvePointKind;
  /** The guardrail that excluded the candidate, if one did. */
  excludedBy: string | null;
}

function kindOf(lostBecause: string): CurvePointKind {
  return lostBecause === 'excluded' || lostBecause === 'tieBreak' ? lostBecause : 'lowerProfit';
}

/**
 * The demand and expected-profit points the decision knows: its chosen price and the runner-up
 * candidates, by price. Empty for a decision that did not choose among candidates (legacy, override,
 * freeze, fallback), whose expected outcome is one point at its fixed price.
 */
export function demandCurve(decision: Decision): CurvePoint[] {
  if (decision.runnersUp.length === 0) return [];
  return [
    { price: decision.price, expectedUnits: decision.expectedUnits, expectedProfit: decision.expectedMargin, kind: 'chosen' as const, excludedBy: null },
    ...decision.runnersUp.map((runnerUp) => ({
      price: runnerUp.price,
      expectedUnits: runnerUp.expectedUnits,
      expectedProfit: runnerUp.expectedProfit,
      kind: kindOf(runnerUp.lostBecause),
      excludedBy: runnerUp.excludedBy,
    })),
  ].sort((a, b) => a.price - b.price);
}
