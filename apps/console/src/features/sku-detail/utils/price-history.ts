import type { Schemas } from '@dynaprice/api-client';
import type { DecisionReason } from '../../../shared/components/ReasonBadge';

export interface HistoryPoint {
  time: number;
  price: number;
  listPrice: number;
  reason: DecisionReason;
  expectedUnits: number;
}

/** The store × SKU's decisions as a time series, oldest first. */
export function priceHistory(decisions: ReadonlyArray<Schemas['DecisionDto']>): HistoryPoint[] {
  return decisions
    .map((decision) => ({
      time: Date.parse(decision.decidedAt),
      price: decision.price,
      listPrice: decision.listPrice,
      reason: decision.reason,
      expectedUnits: decision.expectedUnits,
    }))
    .sort((a, b) => a.time - b.time);
}
