import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import { DomainError } from '@dynaprice/kernel';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHmac } from 'node:crypto';
import helmet from 'helmet';
import type { Server } from 'node:http';
import { installAuditTrail } from '../audit/audit-trail';
import type { AppConfig } from '../config/app-config';
import { CustomerHasher } from '../sales/customer-hasher';
import { authorize } from './access-policy';
import { WWW_AUTHENTICATE } from './access.guard';
import { Authenticator } from './authenticator';
import { RetryLaterError } from './errors';
import { ROUTE_ACCESS_CONFIG, type RouteAccess } from './permissions';
import { principalOf, requestSecurity } from './principal';
import { RouteInventory } from './route-inventory';

const RATE_WINDOW_MS = 60_000;

function declaredAccess(request: FastifyRequest): RouteAccess | undefined {
  return (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[ROUTE_ACCESS_CONFIG] as RouteAccess | undefined;
}

/** TRUST_PROXY in Fastify's terms: a hop count becomes "trust the nearest N proxies". */
export function fastifyTrustProxy(setting: boolean | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== 'number') return setting;
  return (_address: string, hop: number) => hop < setting;
}

/** `caller` and `role` for the request context (log lines, created_by columns, content-based permission checks). */
export function callerContext(request: FastifyRequest): { caller?: string; role?: string } {
  const principal = principalOf(request);
  return principal ? { caller: principal.label, role: principal.role } : {};
}

/** `caller` and `role` for the one "request completed" log line. */
export function callerLogFields(request: FastifyRequest): { caller: string; role?: string } {
  const principal = principalOf(request);
  return principal ? { caller: principal.label, role: principal.role } : { caller: 'anonymous' };
}

/**
 * Security headers that keep the console and Swagger UI working: scripts only from this origin,
 * inline styles allowed (Swagger UI and charts use them), no framing, no plugins.
 */
const CONTENT_SECURITY_POLICY = {
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
  },
};

/**
 * The HTTP side of access control, audit and protection. Call once, after NestFactory.create and
 * before app.init (app.factory.ts), so that every route registered afterwards is covered:
 *  - an onRoute hook records every route with its declared access (RouteInventory);
 *  - the JSON body parser also computes the body's keyed hash (audit and logs never see the body);
 *  - onRequest: reads the credential (Authenticator) — the AccessGuard decides per route;
 *  - per-caller rate limits (429 problem + Retry-After), POS keys with a higher limit;
 *  - preParsing: a route that declares a permission refuses a missing / bad credential or a wrong
 *    role before its body is read;
 *  - security headers (helmet), CORS only for CORS_ORIGINS;
 *  - onResponse: the audit record of the call.
 */
export async function installHttpSecurity(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const inventory = app.get(RouteInventory);
  fastify.addHook('onRoute', (route) => inventory.record(route));

  // The payload hash is keyed (derived from the customer-id HMAC key): a body whose only unknown is a
  // short customer id cannot be recovered by hashing guesses.
  const payloadKey = Buffer.from(app.get(CustomerHasher).hash('dynaprice/audit-payload/v1'), 'hex');
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<Server>('application/json', { bodyLimit: config.bodyLimitBytes }, (request, body, done) => {
    requestSecurity(request).payloadHash = createHmac('sha256', payloadKey).update(body).digest('hex');
    void parseJson(request, body as unknown as string, done);
  });

  const authenticator = app.get(Authenticator);
  fastify.addHook('onRequest', async (request) => {
    try {
      requestSecurity(request).auth = await authenticator.authenticate(request.headers);
    } catch (error) {
      const state = requestSecurity(request);
      state.denial = 'credentials could not be checked (database unavailable)';
      throw new DomainError('UNAVAILABLE', `${state.denial}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  const limits = config.security.rateLimit;
  await app.register(fastifyRateLimit, {
    global: true,
    hook: 'onRequest',
    timeWindow: RATE_WINDOW_MS,
    // Probes are answered whatever the load; everything else counts.
    allowList: (request: FastifyRequest) => (request.routeOptions.url ?? '').startsWith('/health/'),
    keyGenerator: (request: FastifyRequest) => {
      const principal = principalOf(request);
      return principal ? `${principal.kind}:${principal.id}` : `ip:${request.ip}`;
    },
    max: (request: FastifyRequest) => {
      const principal = principalOf(request);
      if (!principal) return limits.anonymousPerMinute;
      return principal.kind === 'api-key' && principal.role === 'pos' ? limits.posPerMinute : limits.perMinute;
    },
    errorResponseBuilder: (request: FastifyRequest, context: { max: number; ttl: number; after: string }) => {
      requestSecurity(request).denial = `rate limit of ${context.max} requests per minute exceeded`;
      return new RetryLaterError(`rate limit of ${context.max} requests per minute exceeded; retry in ${context.after}`, Math.max(1, Math.ceil(context.ttl / 1000)));
    },
  });

  fastify.addHook('preParsing', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    const access = declaredAccess(request);
    if (access?.kind !== 'permission') return payload;
    try {
      authorize(access, requestSecurity(request).auth, { route: `${request.method} ${request.routeOptions.url ?? 'unmatched'}` });
    } catch (error) {
      if (error instanceof DomainError) {
        requestSecurity(request).denial = error.message;
        if (error.code === 'UNAUTHENTICATED') void reply.header('www-authenticate', WWW_AUTHENTICATE);
      }
      throw error;
    }
    return payload;
  });

  // One helmet middleware for the process (@fastify/helmet built a new one, CSP parsing included, per request).
  const securityHeaders = helmet({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, crossOriginEmbedderPolicy: false });
  fastify.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, () => done()));
  if (config.security.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.security.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-api-key', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
      credentials: false,
      maxAge: 600,
    });
  }

  installAuditTrail(app);
}
