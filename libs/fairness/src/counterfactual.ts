import { DomainError } from '@dynaprice/kernel';
import type { AuditReason, AuditStatus } from './types';

/** A real decision to re-price: its pricing input and the segments of the customer / store it served. */
export interface CounterfactualDecision<I> {
  readonly id: string;
  readonly input: I;
  readonly segments: Readonly<Record<string, string>>;
}

/**
 * Prices a decision input for the given segments. A fair engine ignores `segments`; the check calls it
 * once with the decision's own segments (the baseline) and once per counterfactual segment value.
 */
export type SegmentPricer<I> = (input: I, segments: Readonly<Record<string, string>>) => number | Promise<number>;

export interface CounterfactualOptions {
  /** Every value of each attribute to try (e.g. `{ loyaltyTier: ['none', 'silver', 'gold'] }`). */
  readonly segmentValues: Readonly<Record<string, readonly string[]>>;
  /** A price moves when |counterfactual − baseline| > tolerance. Default 0: any change. */
  readonly tolerance?: number;
}

export interface MovedPrice {
  readonly decisionId: string;
  readonly attribute: string;
  /** The decision's own value (undefined when it carried none). */
  readonly from: string | undefined;
  readonly to: string;
  readonly basePrice: number;
  readonly counterfactualPrice: number;
}

export interface CounterfactualReport {
  readonly status: AuditStatus;
  readonly reasons: readonly AuditReason[];
  readonly decisions: number;
  /** Counterfactual prices computed (baselines excluded). */
  readonly repricings: number;
  readonly moved: readonly MovedPrice[];
}

/**
 * Re-prices every decision with each other value of each attribute (one attribute changed at a time)
 * and reports every price that moved. Any moved price fails; an empty sample, or nothing to vary,
 * is 'insufficient-data'.
 */
export async function counterfactualCheck<I>(
  decisions: readonly CounterfactualDecision<I>[],
  price: SegmentPricer<I>,
  options: CounterfactualOptions,
): Promise<CounterfactualReport> {
  const tolerance = options.tolerance ?? 0;
  if (!(Number.isFinite(tolerance) && tolerance >= 0)) throw DomainError.validation('tolerance', 'must be a finite number ≥ 0');
  const attributes = Object.entries(options.segmentValues);
  const moved: MovedPrice[] = [];
  let repricings = 0;
  const priceOf = async (decision: CounterfactualDecision<I>, segments: Readonly<Record<string, string>>): Promise<number> => {
    const value = await price(decision.input, segments);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw DomainError.validation(`decisions.${decision.id}`, `the pricer returned ${String(value)} for segments ${JSON.stringify(segments)}`);
    }
    return value;
  };

  for (const decision of decisions) {
    const basePrice = await priceOf(decision, decision.segments);
    for (const [attribute, values] of attributes) {
      const from = decision.segments[attribute];
      for (const to of values) {
        if (to === from) continue;
        const counterfactualPrice = await priceOf(decision, { ...decision.segments, [attribute]: to });
        repricings++;
        if (Math.abs(counterfactualPrice - basePrice) > tolerance) {
          moved.push({ decisionId: decision.id, attribute, from, to, basePrice, counterfactualPrice });
        }
      }
    }
  }

  const reasons: AuditReason[] = [];
  if (decisions.length === 0) reasons.push({ code: 'no-observations', message: 'no decisions to re-price' });
  else if (repricings === 0) reasons.push({ code: 'single-segment', message: 'no attribute has another value to try' });
  if (moved.length > 0) {
    const ids = new Set(moved.map((m) => m.decisionId));
    const byAttribute = [...new Set(moved.map((m) => m.attribute))].join(', ');
    reasons.unshift({
      code: 'counterfactual',
      message: `${moved.length} of ${repricings} counterfactual prices moved (${ids.size} of ${decisions.length} decisions; ${byAttribute})`,
    });
  }
  const status: AuditStatus = moved.length > 0 ? 'fail' : reasons.length > 0 ? 'insufficient-data' : 'pass';
  return { status, reasons, decisions: decisions.length, repricings, moved };
}
