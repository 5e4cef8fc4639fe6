import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { errors as joseErrors } from 'jose';
import type { IncomingHttpHeaders } from 'node:http';
import { Repository } from 'typeorm';
import { parseApiKey, sameDigest, sha256Hex } from './api-key-format';
import { ApiKeysService } from './api-keys.service';
import { CREDENTIAL_STALE_MS, CredentialCache, type CachedApiKey, type CachedSession } from './credential-cache';
import { AuthSessionEntity } from './entities/auth-session.entity';
import { OidcVerifier } from './oidc-verifier';
import { isRole } from './permissions';
import type { AuthOutcome } from './principal';
import { SessionTokens } from './session-tokens';

const TOUCH_EVERY_MS = 60_000;

function invalid(reason: string): AuthOutcome {
  return { status: 'invalid', reason };
}

/** A jose verification error in a few words (for the 401 detail and the audit record). */
function tokenProblem(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'token expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'token algorithm not allowed';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `token claim ${error.claim} invalid`;
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'token signed by an unknown key';
  if (error instanceof joseErrors.JOSEError) return 'token invalid';
  return error instanceof Error ? `token invalid: ${error.message}` : 'token invalid';
}

/**
 * Reads a request's credential — `X-API-Key: <key>`, `Authorization: ApiKey <key>` or
 * `Authorization: Bearer <token>` (a Dynaprice session or, when configured, an OIDC access token) —
 * and says who is calling. Lookups are cached briefly (CREDENTIAL_CACHE_MS) so the hot path does not
 * ask the database on every request.
 */
@Injectable()
export class Authenticator implements OnModuleDestroy {
  private readonly logger = new Logger(Authenticator.name);
  private readonly touched = new Map<string, number>();
  private readonly touching = new Set<Promise<void>>();

  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly tokens: SessionTokens,
    private readonly oidc: OidcVerifier,
    private readonly cache: CredentialCache,
    @InjectRepository(AuthSessionEntity) private readonly sessions: Repository<AuthSessionEntity>,
  ) {}

  /** Lets the last-use writes finish before the database closes. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.touching]);
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<AuthOutcome> {
    const apiKeyHeader = headers['x-api-key'];
    const authorization = headers.authorization;
    if (apiKeyHeader === undefined && authorization === undefined) return { status: 'none' };
    if (apiKeyHeader !== undefined && authorization !== undefined) return invalid('send one credential: X-API-Key or Authorization, not both');
    if (Array.isArray(apiKeyHeader)) return invalid('send one X-API-Key header');
    if (apiKeyHeader !== undefined) return this.apiKey(apiKeyHeader.trim());
    const match = /^(Bearer|ApiKey)\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return invalid('Authorization must be "Bearer <token>" or "ApiKey <key>"');
    const [, scheme, credential] = match as unknown as [string, string, string];
    return scheme.toLowerCase() === 'apikey' ? this.apiKey(credential) : this.bearer(credential);
  }

  private async apiKey(key: string): Promise<AuthOutcome> {
    const parsed = parseApiKey(key);
    if (!parsed) return invalid('API key not recognised');
    const cached = await this.cache.apiKeys.fetch(parsed.prefix, () => this.loadApiKey(parsed.prefix), CREDENTIAL_STALE_MS);
    const now = Date.now();
    if (!cached || !sameDigest(sha256Hex(key), cached.keyHash)) return invalid('API key not recognised');
    if (cached.revokedAt !== null) return invalid('API key revoked');
    if (cached.expiresAt <= now) return invalid('API key expired');
    if (!isRole(cached.role)) return invalid('API key has an unknown role');
    this.touch(cached, now);
    return {
      status: 'ok',
      principal: { kind: 'api-key', id: cached.id, label: `key:${cached.prefix}`, role: cached.role, stores: cached.storeIds, expiresAt: cached.expiresAt },
    };
  }

  private async bearer(token: string): Promise<AuthOutcome> {
    if (SessionTokens.isOwn(token)) return this.session(token);
    if (this.oidc.accepts(token)) {
      try {
        const identity = await this.oidc.verify(token);
        const label = `oidc:${identity.email ?? identity.subject}`.slice(0, 100);
        return {
          status: 'ok',
          principal: { kind: 'oidc', id: identity.subject, label, role: identity.role, stores: null, expiresAt: identity.expiresAt, ...(identity.email ? { email: identity.email } : {}) },
        };
      } catch (error) {
        return invalid(error instanceof joseErrors.JOSEError ? tokenProblem(error) : `token refused: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return invalid('token not accepted (unknown issuer or malformed)');
  }

  private async session(token: string): Promise<AuthOutcome> {
    let claims: Awaited<ReturnType<SessionTokens['verify']>>;
    try {
      claims = await this.tokens.verify(token);
    } catch (error) {
      return invalid(tokenProblem(error));
    }
    const session = await this.cache.sessions.fetch(claims.sessionId, () => this.loadSession(claims.sessionId), CREDENTIAL_STALE_MS);
    if (!session || session.userId !== claims.userId) return invalid('session unknown');
    if (session.revoked) return invalid('session revoked (signed out)');
    if (session.userDisabled) return invalid('user disabled');
    if (!isRole(session.role)) return invalid('user has an unknown role');
    return {
      status: 'ok',
      principal: {
        kind: 'user',
        id: session.userId,
        label: `user:${session.email}`,
        role: session.role,
        stores: null,
        email: session.email,
        sessionId: session.sessionId,
        expiresAt: Math.min(claims.expiresAt, session.expiresAt),
      },
    };
  }

  private async loadApiKey(prefix: string): Promise<CachedApiKey | null> {
    const row = await this.apiKeys.findByPrefix(prefix);
    return row
      ? { id: row.id, prefix: row.prefix, keyHash: row.keyHash, role: row.role, storeIds: row.storeIds, expiresAt: +row.expiresAt, revokedAt: row.revokedAt ? +row.revokedAt : null }
      : null;
  }

  private async loadSession(sessionId: string): Promise<CachedSession | null> {
    const row = await this.sessions.findOne({ where: { id: sessionId }, relations: { user: true } });
    if (!row?.user) return null;
    return {
      sessionId: row.id,
      userId: row.userId,
      email: row.user.email,
      role: row.user.role,
      expiresAt: +row.expiresAt,
      revoked: row.revokedAt !== null,
      userDisabled: row.user.disabledAt !== null,
    };
  }

  /** last_used_at, at most once a minute per key, off the request path. */
  private touch(key: CachedApiKey, now: number): void {
    if (now - (this.touched.get(key.id) ?? 0) < TOUCH_EVERY_MS) return;
    this.touched.set(key.id, now);
    const write = this.apiKeys
      .touch(key.id, new Date(now))
      .catch((error: unknown) => this.logger.debug({ msg: 'API key last-use not recorded', error: String(error) }))
      .finally(() => this.touching.delete(write));
    this.touching.add(write);
  }
}
