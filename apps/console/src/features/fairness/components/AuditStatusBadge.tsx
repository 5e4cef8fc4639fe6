export type AuditStatus = 'pass' | 'fail' | 'insufficient-data';

const STYLE: Record<AuditStatus, [string, string]> = {
  pass: ['Pass', 'badge--success'],
  fail: ['Fail', 'badge--fallback'],
  'insufficient-data': ['Insufficient data', 'badge--guardrail'],
};

export interface AuditStatusBadgeProps {
  status: AuditStatus;
}

export function AuditStatusBadge({ status }: AuditStatusBadgeProps) {
  const [label, variant] = STYLE[status];
  return <span className={`badge ${variant}`}>{label}</span>;
}
