import { useState } from 'react';
import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { FormField } from '../../../shared/components/FormField';
import { LoadingState } from '../../../shared/components/LoadingState';
import { PageHeader } from '../../../shared/components/PageHeader';
import { formatDateTime } from '../../../shared/utils/format';
import { useAccess } from '../../auth/hooks/useAccess';
import { useCapabilities } from '../../capabilities/hooks/useCapabilities';
import type { ExperimentAction } from '../hooks/useExperimentAction';
import { useExperiments, type ExperimentStatus } from '../hooks/useExperiments';
import { CreateExperimentDialog } from './CreateExperimentDialog';
import { ExperimentActionDialog } from './ExperimentActionDialog';
import { ExperimentResultsPanel } from './ExperimentResultsPanel';
import { ExperimentStatusBadge } from './ExperimentStatusBadge';
import { ExperimentTable } from './ExperimentTable';

/** Which decisions fit each status (the API refuses the others). */
const ACTIONS: Record<ExperimentStatus, ExperimentAction[]> = { draft: ['start'], running: ['stop', 'ship', 'rollback'], stopped: ['ship', 'rollback'], shipped: [], rolled_back: [] };
const ACTION_LABELS: Record<ExperimentAction, string> = { start: 'Start…', stop: 'Stop…', ship: 'Ship…', rollback: 'Roll back…' };

export function ExperimentsWorkspace() {
  const access = useAccess();
  const capabilities = useCapabilities();
  const [status, setStatus] = useState<ExperimentStatus | null>(null);
  const experiments = useExperiments(status);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [action, setAction] = useState<ExperimentAction | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const selected = experiments.data?.find((experiment) => experiment.id === selectedId) ?? null;
  const canDecide = access.can('experiments:decide');
  const canCreate = access.can('experiments:write') && capabilities.has('post', '/v1/experiments');

  return (
    <div className="page">
      <PageHeader
        title="Experiments"
        description="A/B tests of model pricing against the legacy rule: lift with confidence interval, an always-valid sequential test, and a sample-ratio check."
        actions={
          <>
            <FormField label="Status">
              <select className="input" value={status ?? ''} onChange={(event) => setStatus((event.target.value || null) as ExperimentStatus | null)}>
                <option value="">Any</option>
                <option value="draft">Draft</option>
                <option value="running">Running</option>
                <option value="stopped">Stopped</option>
                <option value="shipped">Shipped</option>
                <option value="rolled_back">Rolled back</option>
              </select>
            </FormField>
            {canCreate && (
              <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
                New experiment
              </button>
            )}
          </>
        }
      />
      {notice && (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      )}
      {experiments.isPending ? (
        <LoadingState label="Loading experiments…" />
      ) : experiments.error ? (
        <ErrorState title="The experiments could not be loaded." error={experiments.error} onRetry={() => void experiments.refetch()} />
      ) : experiments.data.length === 0 ? (
        <EmptyState title={status ? 'No experiment has this status.' : 'No experiment yet'}>{canCreate ? 'Create one to test model pricing against legacy pricing.' : null}</EmptyState>
      ) : (
        <ExperimentTable experiments={experiments.data} selectedId={selectedId} onSelect={setSelectedId} />
      )}
      {selected && (
        <section className="card stack" aria-label={`Experiment ${selected.name}`}>
          <div className="row">
            <h2>{selected.name}</h2>
            <ExperimentStatusBadge status={selected.status} />
            {canDecide &&
              ACTIONS[selected.status].map((name) => (
                <button key={name} type="button" className="button button--small" onClick={() => setAction(name)}>
                  {ACTION_LABELS[name]}
                </button>
              ))}
          </div>
          <p className="muted">
            Control: {selected.controlVariant} · started {formatDateTime(selected.startedAt)} · stopped {formatDateTime(selected.stoppedAt)}
            {selected.shippedVariant ? ` · shipped ${selected.shippedVariant}` : ''}
          </p>
          {selected.fallbacks.map((fallback) => (
            <p key={`${fallback.variant}-${fallback.at}`} className="notice notice--error">
              {fallback.variant} fell back to legacy on {formatDateTime(fallback.at)}: {fallback.reason}
            </p>
          ))}
          {selected.status === 'draft' ? <EmptyState title="No results before the experiment starts." /> : <ExperimentResultsPanel experimentId={selected.id} currency="USD" />}
        </section>
      )}
      {creating && (
        <CreateExperimentDialog
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            setSelectedId(id);
            setNotice('Draft created.');
          }}
        />
      )}
      {selected && action && (
        <ExperimentActionDialog
          experiment={selected}
          action={action}
          onClose={() => setAction(null)}
          onDone={(message) => {
            setAction(null);
            setNotice(message);
          }}
        />
      )}
    </div>
  );
}
