import { isIP } from 'node:net';
import { ConfigError } from '../config/app-config';

/** External OpenID Connect provider whose access tokens the API accepts (all four set, or none). */
export interface OidcConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** Claim that carries the Dynaprice role (a role name, or an array holding exactly one). */
  roleClaim: string;
}

/** Access control, audit and HTTP protection settings (validated with the rest at boot). */
export interface SecurityConfig {
  /**
   * HS256 key of the API's own session tokens (JWT_SECRET, 32+ characters). Unset in embedded mode:
   * a key is generated once and kept in DATA_DIR/secrets. Unset with DATABASE_URL: local sign-in is
   * off (API keys and OIDC still work), because instances must share the key.
   */
  jwtSecret: string | null;
  /** Lifetime of a session token (JWT_TTL_SECONDS, default 3600). */
  jwtTtlSeconds: number;
  oidc: OidcConfig | null;
  rateLimit: {
    /** Requests per minute per user or non-POS API key (RATE_LIMIT_PER_MINUTE, default 600). */
    perMinute: number;
    /** Requests per minute per POS API key (RATE_LIMIT_POS_PER_MINUTE, default 6000). */
    posPerMinute: number;
    /** Requests per minute per source address without credentials (RATE_LIMIT_ANONYMOUS_PER_MINUTE, default 120). */
    anonymousPerMinute: number;
    /** Failed sign-ins per email and per address within 15 minutes before sign-in pauses (LOGIN_MAX_FAILURES, default 10). */
    loginMaxFailures: number;
  };
  /** Origins allowed to call the API from a browser (CORS_ORIGINS, comma list; default none: same origin only). */
  corsOrigins: string[];
  /** Honour X-Forwarded-For (TRUST_PROXY: true, a hop count, or addresses / CIDRs; default off). */
  trustProxy: boolean | number | string[];
  /** Time to receive a whole request (REQUEST_TIMEOUT_MS, default 60 s). */
  requestTimeoutMs: number;
  /** Time to answer once received; past it the answer is a 503 problem (HANDLER_TIMEOUT_MS, default 120 s). */
  handlerTimeoutMs: number;
  /** Days of audit trail kept; older day partitions are dropped daily (AUDIT_RETENTION_DAYS, default 365). */
  auditRetentionDays: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function text(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string): URL | null {
  const raw = text(env, name);
  if (raw === null) return null;
  try {
    return new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a URL, got ${JSON.stringify(raw)}`);
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function readOidc(env: Env): OidcConfig | null {
  const issuer = text(env, 'OIDC_ISSUER');
  const audience = text(env, 'OIDC_AUDIENCE');
  const jwks = url(env, 'OIDC_JWKS_URL');
  if (issuer === null && audience === null && jwks === null) return null;
  if (issuer === null) throw new ConfigError('OIDC_ISSUER', 'is required when OIDC_AUDIENCE or OIDC_JWKS_URL is set');
  if (audience === null) throw new ConfigError('OIDC_AUDIENCE', 'is required when OIDC_ISSUER is set');
  if (jwks === null) throw new ConfigError('OIDC_JWKS_URL', 'is required when OIDC_ISSUER is set');
  if (jwks.protocol !== 'https:' && !(jwks.protocol === 'http:' && LOOPBACK.has(jwks.hostname))) {
    throw new ConfigError('OIDC_JWKS_URL', 'must use https:// (plain http only on localhost)');
  }
  const roleClaim = text(env, 'OIDC_ROLE_CLAIM') ?? 'dynaprice_role';
  if (!/^[A-Za-z0-9_:./-]{1,200}$/.test(roleClaim)) throw new ConfigError('OIDC_ROLE_CLAIM', `must be a claim name, got ${JSON.stringify(roleClaim)}`);
  return { issuer, audience, jwksUrl: jwks.toString(), roleClaim };
}

function readOrigins(env: Env): string[] {
  const raw = text(env, 'CORS_ORIGINS');
  if (raw === null) return [];
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((origin) => {
      let parsed: URL;
      try {
        parsed = new URL(origin);
      } catch {
        throw new ConfigError('CORS_ORIGINS', `must be a comma list of origins such as https://console.example.com, got ${JSON.stringify(origin)}`);
      }
      if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.origin !== origin.replace(/\/$/, '')) {
        throw new ConfigError('CORS_ORIGINS', `must list bare origins (scheme://host[:port]), got ${JSON.stringify(origin)}`);
      }
      return parsed.origin;
    });
}

function readTrustProxy(env: Env): boolean | number | string[] {
  const raw = text(env, 'TRUST_PROXY');
  if (raw === null) return false;
  const lower = raw.toLowerCase();
  if (['0', 'false', 'no', 'off'].includes(lower)) return false;
  if (['true', 'yes', 'on'].includes(lower)) return true;
  if (/^\d+$/.test(raw)) return integer(env, 'TRUST_PROXY', 1, 1, 10);
  const entries = raw.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    if (family === 0 || (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > maxBits))) {
      throw new ConfigError('TRUST_PROXY', `must be true, false, a hop count or a comma list of addresses / CIDRs, got ${JSON.stringify(entry)}`);
    }
  }
  return entries;
}

export function loadSecurityConfig(env: Env): SecurityConfig {
  const jwtSecret = text(env, 'JWT_SECRET');
  if (jwtSecret !== null && jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  return {
    jwtSecret,
    jwtTtlSeconds: integer(env, 'JWT_TTL_SECONDS', 3600, 60, 86_400),
    oidc: readOidc(env),
    rateLimit: {
      perMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 1, 100_000_000),
      posPerMinute: integer(env, 'RATE_LIMIT_POS_PER_MINUTE', 6000, 1, 100_000_000),
      anonymousPerMinute: integer(env, 'RATE_LIMIT_ANONYMOUS_PER_MINUTE', 120, 1, 100_000_000),
      loginMaxFailures: integer(env, 'LOGIN_MAX_FAILURES', 10, 1, 1000),
    },
    corsOrigins: readOrigins(env),
    trustProxy: readTrustProxy(env),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 60_000, 1_000, 600_000),
    handlerTimeoutMs: integer(env, 'HANDLER_TIMEOUT_MS', 120_000, 1_000, 3_600_000),
    auditRetentionDays: integer(env, 'AUDIT_RETENTION_DAYS', 365, 1, 3650),
  };
}
