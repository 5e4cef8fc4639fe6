import type { Schemas } from '@dynaprice/api-client';
import { formatDateTime } from '../../../shared/utils/format';

export interface AliasesPanelProps {
  aliases: ReadonlyArray<Schemas['AliasDto']>;
  canPromote: boolean;
  onRollback: (alias: Schemas['AliasDto']['alias']) => void;
}

const ALIASES = ['champion', 'challenger'] as const;

/** Which version serves as champion (prices) and challenger (experiments), since when and why. */
export function AliasesPanel({ aliases, canPromote, onRollback }: AliasesPanelProps) {
  return (
    <div className="grid-2">
      {ALIASES.map((name) => {
        const alias = aliases.find((a) => a.alias === name);
        return (
          <section key={name} className="card stack" aria-label={`${name} model`}>
            <h2>{name === 'champion' ? 'Champion' : 'Challenger'}</h2>
            {alias ? (
              <>
                <p>
                  <code data-testid={`${name}-version`}>{alias.modelVersionId}</code>
                </p>
                <p className="muted">
                  Since {formatDateTime(alias.updatedAt)} by {alias.updatedBy}: {alias.reason}
                </p>
                {canPromote && (
                  <div className="row">
                    <button type="button" className="button button--small" onClick={() => onRollback(name)}>
                      Roll back {name}
                    </button>
                  </div>
                )}
              </>
            ) : (
              <p className="muted">No version is {name}.</p>
            )}
          </section>
        );
      })}
    </div>
  );
}
