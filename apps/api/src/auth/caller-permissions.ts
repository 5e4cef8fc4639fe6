import { requestContext } from '../common/request-context';
import { isRole, roleHasPermission, type Permission } from './permissions';

/**
 * Does the caller of the current request hold `permission`? For checks that depend on the request's
 * content rather than its route (e.g. `forced: true` on an override needs overrides:force). False
 * outside a request.
 */
export function callerMay(permission: Permission): boolean {
  const role = requestContext.getStore()?.role;
  return isRole(role) && roleHasPermission(role, permission);
}
