export interface BulkActionBarProps {
  count: number;
  canEditGuardrails: boolean;
  canOverride: boolean;
  busy: boolean;
  onFreeze: () => void;
  onUnfreeze: () => void;
  onGuardrails: () => void;
  onOverride: () => void;
  onClear: () => void;
}

export function BulkActionBar({ count, canEditGuardrails, canOverride, busy, onFreeze, onUnfreeze, onGuardrails, onOverride, onClear }: BulkActionBarProps) {
  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions">
      <strong>{count} selected</strong>
      {canEditGuardrails && (
        <>
          <button type="button" className="button button--small" onClick={onFreeze} disabled={busy}>
            Freeze
          </button>
          <button type="button" className="button button--small" onClick={onUnfreeze} disabled={busy}>
            Unfreeze
          </button>
          <button type="button" className="button button--small" onClick={onGuardrails} disabled={busy}>
            Set guardrails…
          </button>
        </>
      )}
      {canOverride && (
        <button type="button" className="button button--small" onClick={onOverride} disabled={busy}>
          Override…
        </button>
      )}
      <button type="button" className="button button--small button--link" onClick={onClear}>
        Clear selection
      </button>
    </div>
  );
}
