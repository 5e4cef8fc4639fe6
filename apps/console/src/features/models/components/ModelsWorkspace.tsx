import { useState } from 'react';
import { EmptyState } from '../../../shared/components/EmptyState';
import { ErrorState } from '../../../shared/components/ErrorState';
import { LoadingState } from '../../../shared/components/LoadingState';
import { PageHeader } from '../../../shared/components/PageHeader';
import { useAccess } from '../../auth/hooks/useAccess';
import { useCapabilities } from '../../capabilities/hooks/useCapabilities';
import { useModelAliases } from '../hooks/useModelAliases';
import { useModels } from '../hooks/useModels';
import { AliasChangeDialog, type AliasChange } from './AliasChangeDialog';
import { AliasesPanel } from './AliasesPanel';
import { DriftPanel } from './DriftPanel';
import { ModelVersionsTable } from './ModelVersionsTable';

export function ModelsWorkspace() {
  const access = useAccess();
  const capabilities = useCapabilities();
  // Promote and roll back: only for roles that hold models:promote, and only where the server offers them.
  const canPromote = access.can('models:promote') && capabilities.has('post', '/v1/models/{id}/promote');
  const canRollback = access.can('models:promote') && capabilities.has('post', '/v1/models/aliases/{alias}/rollback');
  const models = useModels();
  const aliases = useModelAliases();
  const [selected, setSelected] = useState<string | null>(null);
  const [change, setChange] = useState<AliasChange | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const driftOffered = capabilities.has('get', '/v1/models/{id}/drift');

  return (
    <div className="page">
      <PageHeader title="Models" description="Demand model versions with their cards; the champion prices, the challenger serves experiments. Versions never change." />
      {notice && (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      )}
      {aliases.isPending ? (
        <LoadingState label="Loading aliases…" />
      ) : aliases.error ? (
        <ErrorState title="The aliases could not be loaded." error={aliases.error} onRetry={() => void aliases.refetch()} />
      ) : (
        <AliasesPanel aliases={aliases.data} canPromote={canRollback} onRollback={(alias) => setChange({ kind: 'rollback', alias })} />
      )}
      <section className="stack" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        {models.isPending ? (
          <LoadingState label="Loading model versions…" />
        ) : models.error ? (
          <ErrorState title="The model versions could not be loaded." error={models.error} onRetry={() => void models.refetch()} />
        ) : models.data.length === 0 ? (
          <EmptyState title="No model yet">Train one with `dynaprice train` or upload an ONNX model (POST /v1/models).</EmptyState>
        ) : (
          <ModelVersionsTable
            versions={models.data}
            selectedId={selected}
            canPromote={canPromote}
            onSelect={setSelected}
            onPromote={(version) => setChange({ kind: 'promote', versionId: version.id })}
          />
        )}
      </section>
      {selected && driftOffered && <DriftPanel modelId={selected} />}
      {change && (
        <AliasChangeDialog
          change={change}
          onClose={() => setChange(null)}
          onDone={(message) => {
            setChange(null);
            setNotice(message);
          }}
        />
      )}
    </div>
  );
}
