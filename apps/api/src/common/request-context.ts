import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line and audit record of one request carries. */
export interface RequestContext {
  requestId: string;
  /** `key:<prefix>`, `user:<email>` or `oidc:<subject>`, filled by the auth hooks once the credential checked out. */
  caller?: string;
  /** The caller's role (for checks on request content, e.g. forced overrides). */
  role?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
