import type { FastifyRequest } from 'fastify';
import type { PriceRequestLink } from '../pricing/decision-journal';
import type { Role } from './permissions';

export type PrincipalKind = 'user' | 'api-key' | 'oidc';

/** Who is calling, once their credential checked out. */
export interface Principal {
  kind: PrincipalKind;
  /** User id, API key id or OIDC subject. */
  id: string;
  /** `user:<email>`, `key:<prefix>` or `oidc:<email or subject>`: the `caller` of logs, decisions and the audit trail. */
  label: string;
  role: Role;
  /** Stores the caller is limited to; null: every store. */
  stores: readonly string[] | null;
  email?: string;
  /** Session (token `jti`) of a signed-in user. */
  sessionId?: string;
  /** When the credential stops working (Unix ms); null: no end (never for API keys, which always expire). */
  expiresAt: number | null;
}

/** The result of reading a request's credentials. */
export type AuthOutcome = { status: 'none' } | { status: 'ok'; principal: Principal } | { status: 'invalid'; reason: string };

/** What the security hooks learn about one request, for the guard, the logs and the audit record. */
export interface RequestSecurity {
  auth: AuthOutcome;
  /** HMAC-SHA256 (hex) of the raw JSON body, when there was one. */
  payloadHash: string | null;
  /** Why the call was refused (401 / 403 / 429), for the audit record. */
  denial: string | null;
  /** The request record (price_requests) holding the decisions the answer carried. */
  priceRequest: PriceRequestLink | null;
}

const states = new WeakMap<FastifyRequest, RequestSecurity>();

/** The request's security state (created on first use). */
export function requestSecurity(request: FastifyRequest): RequestSecurity {
  let state = states.get(request);
  if (!state) {
    state = { auth: { status: 'none' }, payloadHash: null, denial: null, priceRequest: null };
    states.set(request, state);
  }
  return state;
}

export function principalOf(request: FastifyRequest): Principal | null {
  const auth = requestSecurity(request).auth;
  return auth.status === 'ok' ? auth.principal : null;
}
