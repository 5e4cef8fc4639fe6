import type { Schemas } from '@dynaprice/api-client';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../../api/api-error';
import { Dialog } from '../../../shared/components/Dialog';
import { FormField } from '../../../shared/components/FormField';
import { useExperimentAction, type ExperimentAction } from '../hooks/useExperimentAction';

export interface ExperimentActionDialogProps {
  experiment: Schemas['ExperimentDto'];
  action: ExperimentAction;
  onClose: () => void;
  onDone: (message: string) => void;
}

const TITLES: Record<ExperimentAction, string> = { start: 'Start', stop: 'Stop', ship: 'Ship the winner of', rollback: 'Roll back' };
const EXPLAIN: Record<ExperimentAction, string> = {
  start: 'Units are assigned and priced by their variant from now on.',
  stop: 'Every unit goes back to the default pricing; the results stay.',
  ship: 'The chosen variant prices the whole scope from now on.',
  rollback: 'Every unit goes back to legacy pricing at once.',
};

export function ExperimentActionDialog({ experiment, action, onClose, onDone }: ExperimentActionDialogProps) {
  const [reason, setReason] = useState('');
  const [variant, setVariant] = useState(experiment.variants.find((v) => v.key !== experiment.controlVariant)?.key ?? experiment.variants[0]?.key ?? '');
  const [error, setError] = useState<string | null>(null);
  const run = useExperimentAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setError('say why, in at least 3 characters');
      return;
    }
    try {
      await run.mutateAsync({ id: experiment.id, action, reason: reason.trim(), ...(action === 'ship' ? { variant } : {}) });
      onDone(`${TITLES[action]} “${experiment.name}”: done.`);
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  return (
    <Dialog title={`${TITLES[action]} “${experiment.name}”`} onClose={onClose}>
      <form className="stack" onSubmit={(event) => void submit(event)} noValidate>
        <p className="muted">{EXPLAIN[action]}</p>
        {action === 'ship' && (
          <FormField label="Variant to ship">
            <select className="input" value={variant} onChange={(event) => setVariant(event.target.value)}>
              {experiment.variants.map((v) => (
                <option key={v.key} value={v.key}>
                  {v.key}
                </option>
              ))}
            </select>
          </FormField>
        )}
        <FormField label="Reason" hint="Recorded with who and when." error={error ?? undefined}>
          <input className="input" type="text" value={reason} onChange={(event) => setReason(event.target.value)} />
        </FormField>
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={run.isPending}>
            {run.isPending ? 'Working…' : TITLES[action].split(' ')[0]}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
