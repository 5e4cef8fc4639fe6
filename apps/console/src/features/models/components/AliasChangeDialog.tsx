import type { Schemas } from '@dynaprice/api-client';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../../api/api-error';
import { Dialog } from '../../../shared/components/Dialog';
import { FormField } from '../../../shared/components/FormField';
import { usePromoteModel } from '../hooks/usePromoteModel';
import { useRollbackAlias } from '../hooks/useRollbackAlias';

type Alias = Schemas['AliasDto']['alias'];

export type AliasChange = { kind: 'promote'; versionId: string } | { kind: 'rollback'; alias: Alias };

export interface AliasChangeDialogProps {
  change: AliasChange;
  onClose: () => void;
  onDone: (message: string) => void;
}

/** Promote a version to an alias, or roll an alias back — each a single recorded call, with why. */
export function AliasChangeDialog({ change, onClose, onDone }: AliasChangeDialogProps) {
  const [alias, setAlias] = useState<Alias>(change.kind === 'rollback' ? change.alias : 'challenger');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const promote = usePromoteModel();
  const rollback = useRollbackAlias();
  const pending = promote.isPending || rollback.isPending;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setError('say why, in at least 3 characters');
      return;
    }
    try {
      if (change.kind === 'promote') {
        await promote.mutateAsync({ id: change.versionId, body: { alias, reason: reason.trim() } });
        onDone(`${change.versionId} is now ${alias}.`);
      } else {
        const result = await rollback.mutateAsync({ alias, body: { reason: reason.trim() } });
        onDone(`${alias} rolled back to ${result.alias.modelVersionId}.`);
      }
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  const title = change.kind === 'promote' ? `Promote ${change.versionId}` : `Roll back the ${change.alias}`;
  return (
    <Dialog title={title} onClose={onClose}>
      <form className="stack" onSubmit={(event) => void submit(event)} noValidate>
        {change.kind === 'promote' ? (
          <FormField label="Alias" hint="The champion prices everything outside experiments; the challenger serves experiment variants.">
            <select className="input" value={alias} onChange={(event) => setAlias(event.target.value as Alias)}>
              <option value="challenger">Challenger</option>
              <option value="champion">Champion</option>
            </select>
          </FormField>
        ) : (
          <p className="muted">The {change.alias} goes back to the version it served before its latest promotion.</p>
        )}
        <FormField label="Reason" hint="Recorded with who and when." error={error ?? undefined}>
          <input className="input" type="text" value={reason} onChange={(event) => setReason(event.target.value)} />
        </FormField>
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={pending}>
            {pending ? 'Working…' : change.kind === 'promote' ? `Make ${alias}` : 'Roll back'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
