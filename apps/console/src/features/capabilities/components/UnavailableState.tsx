import { describeOperation, type Operation } from '../utils/capabilities';

export interface UnavailableStateProps {
  feature: string;
  /** The endpoints the feature needs that this server's OpenAPI document does not list. */
  missing: readonly Operation[];
  detail?: string;
}

/** A feature whose endpoints this server does not offer (yet): said plainly, no placeholder data. */
export function UnavailableState({ feature, missing, detail }: UnavailableStateProps) {
  return (
    <section className="state state--unavailable" role="status" aria-label={`${feature} not available`}>
      <p className="state__title">{feature}: not available on this server</p>
      <p className="muted">
        {detail ?? 'This server’s OpenAPI document does not list the endpoints this part of the console needs. It appears here as soon as the API offers them.'}
      </p>
      {missing.length > 0 && (
        <>
          <p className="muted">Missing:</p>
          <ul>
            {missing.map((op) => (
              <li key={describeOperation(op)}>
                <code>{describeOperation(op)}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
