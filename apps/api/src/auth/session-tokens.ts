import { Inject, Injectable, Logger } from '@nestjs/common';
import { decodeJwt, jwtVerify, SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { databaseMode } from '../database/data-source-options';

/** Issuer and audience of the API's own session tokens. */
export const SESSION_ISSUER = 'dynaprice';
export const SESSION_AUDIENCE = 'dynaprice-api';

export interface SessionClaims {
  userId: string;
  sessionId: string;
  expiresAt: number;
}

/**
 * The API's own short-lived session tokens: JWTs signed with HS256 under JWT_SECRET (in embedded mode
 * a key generated once and kept in DATA_DIR/secrets). Verification accepts HS256 only, so `alg: none`
 * and algorithm-confusion tokens fail; each token names its session (`jti`), which sign-out revokes.
 */
@Injectable()
export class SessionTokens {
  private readonly logger = new Logger(SessionTokens.name);
  private readonly key: Uint8Array | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const secret = config.security.jwtSecret ?? (databaseMode(config) === 'embedded' ? SessionTokens.embeddedSecret(config.dataDir) : null);
    this.key = secret === null ? null : new TextEncoder().encode(secret);
    if (this.key === null) this.logger.warn('JWT_SECRET is not set: sign-in with email and password is off (API keys and OIDC still work)');
  }

  get enabled(): boolean {
    return this.key !== null;
  }

  get ttlSeconds(): number {
    return this.config.security.jwtTtlSeconds;
  }

  async issue(claims: { userId: string; sessionId: string; role: string; email: string }, issuedAt: number): Promise<{ token: string; expiresAt: number }> {
    if (!this.key) throw new Error('session tokens are off (JWT_SECRET unset)');
    const iat = Math.floor(issuedAt / 1000);
    const exp = iat + this.ttlSeconds;
    const token = await new SignJWT({ role: claims.role, email: claims.email })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(SESSION_ISSUER)
      .setAudience(SESSION_AUDIENCE)
      .setSubject(claims.userId)
      .setJti(claims.sessionId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: exp * 1000 };
  }

  /** Is this token (unverified) one of ours, by its issuer? */
  static isOwn(token: string): boolean {
    try {
      return decodeJwt(token).iss === SESSION_ISSUER;
    } catch {
      return false;
    }
  }

  /** Verifies signature (HS256 only), issuer, audience and expiry; throws a one-line reason. */
  async verify(token: string): Promise<SessionClaims> {
    if (!this.key) throw new Error('session tokens are not accepted (JWT_SECRET unset)');
    const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: SESSION_ISSUER, audience: SESSION_AUDIENCE, requiredClaims: ['sub', 'jti', 'exp'] });
    return { userId: payload.sub as string, sessionId: payload.jti as string, expiresAt: (payload.exp as number) * 1000 };
  }

  private static embeddedSecret(dataDir: string): string {
    if (dataDir.startsWith('memory://')) return randomBytes(32).toString('hex');
    const folder = join(dataDir, 'secrets');
    const file = join(folder, 'jwt-secret.key');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    mkdirSync(folder, { recursive: true });
    const secret = randomBytes(32).toString('hex');
    writeFileSync(file, secret, { mode: 0o600 });
    chmodSync(file, 0o600);
    return secret;
  }
}
