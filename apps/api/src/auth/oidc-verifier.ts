import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { OidcConfig } from './security-config';
import { isRole, type Role } from './permissions';

/** Asymmetric algorithms only: a provider's tokens are never checked with a shared secret. */
const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface OidcIdentity {
  subject: string;
  email: string | null;
  role: Role;
  expiresAt: number;
}

/** Reads a claim by dotted path (`realm_access.roles`). */
function claimAt(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The one Dynaprice role a claim names: a role name, or an array holding exactly one role name. */
export function roleFromClaim(value: unknown): Role | null {
  if (isRole(value)) return value;
  if (Array.isArray(value)) {
    const roles = [...new Set(value.filter(isRole))];
    return roles.length === 1 ? (roles[0] as Role) : null;
  }
  return null;
}

/**
 * Optional: access tokens of an external OpenID Connect provider (OIDC_ISSUER, OIDC_AUDIENCE,
 * OIDC_JWKS_URL), verified against the provider's JWKS (fetched and cached by jose, refreshed when
 * an unknown key id appears). The role comes from OIDC_ROLE_CLAIM.
 */
@Injectable()
export class OidcVerifier {
  private readonly oidc: OidcConfig | null;
  private readonly jwks: ReturnType<typeof createRemoteJWKSet> | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.oidc = config.security.oidc;
    this.jwks = this.oidc ? createRemoteJWKSet(new URL(this.oidc.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 600_000 }) : null;
  }

  /** Is this token (unverified) from the configured provider, by its issuer? */
  accepts(token: string): boolean {
    if (!this.oidc) return false;
    try {
      return decodeJwt(token).iss === this.oidc.issuer;
    } catch {
      return false;
    }
  }

  async verify(token: string): Promise<OidcIdentity> {
    if (!this.oidc || !this.jwks) throw new Error('OIDC is not configured');
    const { payload } = await jwtVerify(token, this.jwks, {
      algorithms: OIDC_ALGORITHMS,
      issuer: this.oidc.issuer,
      audience: this.oidc.audience,
      requiredClaims: ['sub', 'exp'],
    });
    const role = roleFromClaim(claimAt(payload, this.oidc.roleClaim));
    if (!role) throw new Error(`claim ${this.oidc.roleClaim} names no single Dynaprice role`);
    const email = typeof payload['email'] === 'string' ? payload['email'] : null;
    return { subject: payload.sub as string, email, role, expiresAt: (payload.exp as number) * 1000 };
  }
}
