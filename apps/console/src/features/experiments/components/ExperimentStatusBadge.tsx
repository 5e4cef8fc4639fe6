import type { ExperimentStatus } from '../hooks/useExperiments';

const LABELS: Record<ExperimentStatus, [string, string]> = {
  draft: ['Draft', 'badge'],
  running: ['Running', 'badge--model'],
  stopped: ['Stopped', 'badge--legacy'],
  shipped: ['Shipped', 'badge--success'],
  rolled_back: ['Rolled back', 'badge--fallback'],
};

export interface ExperimentStatusBadgeProps {
  status: ExperimentStatus;
}

export function ExperimentStatusBadge({ status }: ExperimentStatusBadgeProps) {
  const [label, variant] = LABELS[status];
  return <span className={`badge ${variant}`}>{label}</span>;
}
