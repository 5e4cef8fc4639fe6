import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line and audit record of one request carries. */
export interface RequestContext {
  requestId: string;
  caller?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
