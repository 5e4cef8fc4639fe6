export type DecisionReason = 'model' | 'legacy' | 'override' | 'guardrail' | 'fallback';

const LABELS: Record<DecisionReason, string> = {
  model: 'Model',
  legacy: 'Legacy',
  override: 'Override',
  guardrail: 'Guardrail',
  fallback: 'Fallback',
};

const BOUND_BY: Record<string, string> = {
  minMargin: 'minimum margin',
  maxChange: 'maximum daily change',
  floor: 'floor',
  ceiling: 'ceiling',
  endings: 'price endings',
  freeze: 'frozen',
  override: 'override',
};

export function describeBoundBy(boundBy: string | null | undefined): string | null {
  if (!boundBy) return null;
  return BOUND_BY[boundBy] ?? boundBy;
}

export interface ReasonBadgeProps {
  reason: DecisionReason;
  boundBy?: string | null;
}

/** Why a price is what it is: the decision's reason and, if any, what bound it. */
export function ReasonBadge({ reason, boundBy }: ReasonBadgeProps) {
  const bound = describeBoundBy(boundBy);
  const showBound = bound && !(reason === 'override' && boundBy === 'override');
  return (
    <span className={`badge badge--${reason}`} title={bound ? `Bound by ${bound}` : undefined}>
      {LABELS[reason]}
      {showBound ? ` · ${bound}` : ''}
    </span>
  );
}
