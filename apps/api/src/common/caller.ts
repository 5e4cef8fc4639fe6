import { requestContext } from './request-context';

/** Who is calling, for `created_by` columns and the audit trail; the auth module fills it in. */
export function currentCaller(): string {
  return requestContext.getStore()?.caller ?? 'anonymous';
}
