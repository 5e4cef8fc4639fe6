import type { DomainError } from '@dynaprice/kernel';
import { forbidden, unauthenticated } from './errors';
import { PERMISSION_MATRIX, roleHasPermission, type RouteAccess, type StoreSelector } from './permissions';
import type { AuthOutcome, Principal } from './principal';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const MISSING_CREDENTIALS = 'credentials required: send X-API-Key: <key>, Authorization: ApiKey <key> or Authorization: Bearer <token>';

export interface AccessRequest {
  method: string;
  /** Route pattern, for messages. */
  route: string;
  body?: unknown;
  params?: unknown;
  query?: unknown;
}

/**
 * The access decision for one request, in the order the spec asks: public routes are open; anyone
 * else must authenticate (401); then the route's permission must be in the caller's role (403), and
 * a route without a declared permission refuses everyone (default deny). Returns the caller (null on
 * a public route without credentials); throws the 401 / 403 DomainError otherwise.
 */
export function authorize(access: RouteAccess | undefined, auth: AuthOutcome, request: Pick<AccessRequest, 'route'>): Principal | null {
  if (access?.kind === 'public') return auth.status === 'ok' ? auth.principal : null;
  if (auth.status === 'none') throw unauthenticated(MISSING_CREDENTIALS);
  if (auth.status === 'invalid') throw unauthenticated(auth.reason);
  const { principal } = auth;
  if (!access) throw forbidden(`${request.route} declares no permission, so it refuses every caller (default deny)`);
  if (!roleHasPermission(principal.role, access.permission)) {
    throw forbidden(`role ${principal.role} lacks permission ${access.permission} (held by ${PERMISSION_MATRIX[access.permission].join(', ')})`);
  }
  return principal;
}

interface ParsedSelector {
  source: string;
  path: ReadonlyArray<{ name: string; each: boolean }>;
}

/** Selectors are a handful of strings written in the code, asked about on every call: parsed once each. */
const parsedSelectors = new Map<string, ParsedSelector>();

function parsedSelector(selector: string): ParsedSelector {
  let parsed = parsedSelectors.get(selector);
  if (!parsed) {
    const [source = '', ...parts] = selector.split('.');
    parsed = { source, path: parts.map((part) => (part.endsWith('[]') ? { name: part.slice(0, -2), each: true } : { name: part, each: false })) };
    parsedSelectors.set(selector, parsed);
  }
  return parsed;
}

/** Every value a selector (`body.items[].storeId`) picks out of the request. */
export function selectValues(selector: StoreSelector, request: Pick<AccessRequest, 'body' | 'params' | 'query'>): unknown[] {
  const { source, path } = parsedSelector(selector);
  let values: unknown[] = [source === 'body' ? request.body : source === 'params' ? request.params : request.query];
  for (const { name, each } of path) {
    const next: unknown[] = [];
    for (const value of values) {
      if (typeof value !== 'object' || value === null) continue;
      const child = (value as Record<string, unknown>)[name];
      if (each) {
        if (Array.isArray(child)) next.push(...(child as unknown[]));
      } else if (child !== undefined) next.push(child);
    }
    values = next;
  }
  return values;
}

/**
 * Store scope: a caller limited to some stores may read what its role allows, but may change data or
 * price only through routes that name their stores, and only for its own. Values that are not
 * strings are left to validation (which refuses them).
 */
export function storeScopeProblem(access: RouteAccess | undefined, principal: Principal | null, request: AccessRequest): DomainError | null {
  if (!principal || principal.stores === null || access?.kind !== 'permission') return null;
  const allowed = principal.stores;
  if (access.stores.length === 0) {
    if (READ_METHODS.has(request.method)) return null;
    return forbidden(`this credential is limited to store(s) ${allowed.join(', ')}, and ${request.method} ${request.route} does not name a store`);
  }
  let named = 0;
  for (const selector of access.stores) {
    for (const value of selectValues(selector, request)) {
      named++;
      if (typeof value === 'string' && !allowed.includes(value)) {
        return forbidden(`store ${JSON.stringify(value)} is outside this credential's store(s) ${allowed.join(', ')}`);
      }
    }
  }
  // Nothing named (e.g. an override for every store): not within a store-limited credential's reach.
  if (named === 0) return forbidden(`this credential is limited to store(s) ${allowed.join(', ')}; name one of them (${access.stores.join(', ')})`);
  return null;
}
