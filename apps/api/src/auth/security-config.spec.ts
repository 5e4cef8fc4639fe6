import { ConfigError } from '../config/app-config';
import { loadSecurityConfig } from './security-config';

describe(loadSecurityConfig.name, () => {
  it('defaults: no JWT secret, one-hour sessions, no OIDC, same-origin, no proxy, a year of audit', () => {
    expect(loadSecurityConfig({})).toEqual({
      jwtSecret: null,
      jwtTtlSeconds: 3600,
      oidc: null,
      rateLimit: { perMinute: 600, posPerMinute: 6000, anonymousPerMinute: 120, loginMaxFailures: 10 },
      corsOrigins: [],
      trustProxy: false,
      requestTimeoutMs: 60_000,
      handlerTimeoutMs: 120_000,
      auditRetentionDays: 365,
    });
  });

  it('reads OIDC as a whole, proxies as a flag, a hop count or addresses, and CORS origins', () => {
    const config = loadSecurityConfig({
      OIDC_ISSUER: 'https://idp.example/',
      OIDC_AUDIENCE: 'dynaprice',
      OIDC_JWKS_URL: 'https://idp.example/jwks',
      TRUST_PROXY: '10.0.0.0/8, 192.168.1.7',
      CORS_ORIGINS: 'https://console.example.com, http://localhost:5173',
    });
    expect(config.oidc).toEqual({ issuer: 'https://idp.example/', audience: 'dynaprice', jwksUrl: 'https://idp.example/jwks', roleClaim: 'dynaprice_role' });
    expect(config.trustProxy).toEqual(['10.0.0.0/8', '192.168.1.7']);
    expect(config.corsOrigins).toEqual(['https://console.example.com', 'http://localhost:5173']);
    expect(loadSecurityConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadSecurityConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });

  it.each([
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ JWT_TTL_SECONDS: '10' }, 'JWT_TTL_SECONDS'],
    [{ OIDC_ISSUER: 'https://idp.example/' }, 'OIDC_AUDIENCE'],
    [{ OIDC_AUDIENCE: 'x' }, 'OIDC_ISSUER'],
    [{ OIDC_ISSUER: 'https://idp.example/', OIDC_AUDIENCE: 'x', OIDC_JWKS_URL: 'http://idp.example/jwks' }, 'OIDC_JWKS_URL'],
    [{ CORS_ORIGINS: 'https://console.example.com/app' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
    [{ TRUST_PROXY: 'everyone' }, 'TRUST_PROXY'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ AUDIT_RETENTION_DAYS: 'forever' }, 'AUDIT_RETENTION_DAYS'],
  ])('names the bad variable in %j', (env, variable) => {
    expect(() => loadSecurityConfig(env)).toThrow(ConfigError);
    expect(() => loadSecurityConfig(env)).toThrow(new RegExp(`^${variable} `));
  });
});
