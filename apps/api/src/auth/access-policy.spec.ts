import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@dynaprice/kernel';
import type { FastifyRequest } from 'fastify';
import { authorize, selectValues, storeScopeProblem } from './access-policy';
import { AccessGuard } from './access.guard';
import { parseApiKey, generateApiKey } from './api-key-format';
import { roleFromClaim } from './oidc-verifier';
import { ACCESS_KEY, Permission, Public, RequirePermission, ROUTE_ACCESS_CONFIG, type RouteAccess } from './permissions';
import { requestSecurity, type AuthOutcome, type Principal } from './principal';

const principal = (role: Principal['role'], stores: string[] | null = null): Principal => ({ kind: 'api-key', id: 'k', label: 'key:dp_x', role, stores, expiresAt: null });
const ok = (role: Principal['role'], stores: string[] | null = null): AuthOutcome => ({ status: 'ok', principal: principal(role, stores) });
const quote: RouteAccess = { kind: 'permission', permission: Permission.PricesQuote, stores: ['body.storeId'] };

function codeOf(work: () => unknown): string | null {
  try {
    work();
    return null;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'OTHER';
  }
}

describe(authorize.name, () => {
  it('opens public routes to anyone, and asks everyone else to authenticate first', () => {
    expect(authorize({ kind: 'public' }, { status: 'none' }, { route: 'GET /health/live' })).toBeNull();
    expect(codeOf(() => authorize(quote, { status: 'none' }, { route: 'POST /v1/prices' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => authorize(quote, { status: 'invalid', reason: 'API key revoked' }, { route: 'POST /v1/prices' }))).toBe('UNAUTHENTICATED');
  });

  it('lets a role through only with the permission, and refuses every role on an undeclared route', () => {
    expect(authorize(quote, ok('pos'), { route: 'POST /v1/prices' })?.role).toBe('pos');
    expect(codeOf(() => authorize(quote, ok('finance'), { route: 'POST /v1/prices' }))).toBe('FORBIDDEN');
    for (const role of ['pos', 'merchandiser', 'data-scientist', 'finance', 'admin'] as const) {
      expect(codeOf(() => authorize(undefined, ok(role), { route: 'GET /v1/new-thing' }))).toBe('FORBIDDEN');
    }
    expect(codeOf(() => authorize(undefined, { status: 'none' }, { route: 'GET /v1/new-thing' }))).toBe('UNAUTHENTICATED');
  });
});

describe(storeScopeProblem.name, () => {
  const request = (method: string, body: unknown) => ({ method, route: 'POST /v1/prices', body });

  it('holds a store-scoped caller to its stores on routes that name them', () => {
    expect(storeScopeProblem(quote, principal('pos', ['S01']), request('POST', { storeId: 'S01' }))).toBeNull();
    expect(storeScopeProblem(quote, principal('pos', ['S01']), request('POST', { storeId: 'S02' }))?.code).toBe('FORBIDDEN');
    expect(storeScopeProblem(quote, principal('pos', ['S01']), request('POST', {}))?.code).toBe('FORBIDDEN');
    expect(storeScopeProblem(quote, principal('pos', null), request('POST', { storeId: 'S02' }))).toBeNull();
  });

  it('lets a store-scoped caller read, but not change data through a route that names no store', () => {
    const write: RouteAccess = { kind: 'permission', permission: Permission.InventoryWrite, stores: [] };
    expect(storeScopeProblem(write, principal('pos', ['S01']), request('GET', undefined))).toBeNull();
    expect(storeScopeProblem(write, principal('pos', ['S01']), request('DELETE', undefined))?.code).toBe('FORBIDDEN');
  });

  it('reads nested selectors', () => {
    expect(selectValues('body.items[].storeId', { body: { items: [{ storeId: 'A' }, { storeId: 'B' }, {}] } })).toEqual(['A', 'B']);
    expect(selectValues('params.id', { params: { id: 'S9' } })).toEqual(['S9']);
    expect(selectValues('body.events[].storeId', { body: null })).toEqual([]);
  });
});

describe(AccessGuard.name, () => {
  class Routes {
    @RequirePermission(Permission.AuditRead)
    declared(): string {
      return 'declared';
    }
    undeclared(): string {
      return 'undeclared';
    }
    @Public()
    open(): string {
      return 'open';
    }
  }

  function contextFor(handler: () => string, auth: AuthOutcome): ExecutionContext {
    const request = { method: 'GET', routeOptions: { url: '/v1/x' }, body: undefined, params: {}, query: {} };
    // The guard reads the outcome the onRequest hook stored for this request.
    requestSecurity(request as unknown as FastifyRequest).auth = auth;
    return {
      getType: () => 'http',
      getHandler: () => handler,
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({ header: () => undefined }) }),
    } as unknown as ExecutionContext;
  }

  const guard = new AccessGuard(new Reflector());

  it('refuses every caller on a route without a declaration (default deny), even an admin', () => {
    expect(codeOf(() => guard.canActivate(contextFor(Routes.prototype.undeclared, ok('admin'))))).toBe('FORBIDDEN');
  });

  it('applies the declared permission and opens public routes', () => {
    expect(guard.canActivate(contextFor(Routes.prototype.declared, ok('admin')))).toBe(true);
    expect(codeOf(() => guard.canActivate(contextFor(Routes.prototype.declared, ok('merchandiser'))))).toBe('FORBIDDEN');
    expect(guard.canActivate(contextFor(Routes.prototype.open, { status: 'none' }))).toBe(true);
  });

  it('mirrors each declaration into the Fastify route config the router and the early check read', () => {
    const config = (handler: () => string): unknown => (Reflect.getMetadata('__fastify_route_config__', handler) as Record<string, unknown> | undefined)?.[ROUTE_ACCESS_CONFIG];
    expect(config(Routes.prototype.declared)).toEqual(Reflect.getMetadata(ACCESS_KEY, Routes.prototype.declared));
    expect(config(Routes.prototype.open)).toEqual({ kind: 'public' });
    expect(config(Routes.prototype.undeclared)).toBeUndefined();
  });
});

describe('API key format', () => {
  it('generates keys whose public prefix is everything before the last underscore', () => {
    const { key, prefix } = generateApiKey();
    expect(parseApiKey(key)).toEqual({ prefix });
    expect(prefix).toMatch(/^dp_[a-z0-9]{12}$/);
    expect(parseApiKey('dp_demo_data_scientist_DemoOnlyNotSecret')).toEqual({ prefix: 'dp_demo_data_scientist' });
    for (const bad of ['', 'dp_short', 'sk_live_abcdefghijklmnopqrst', 'dp_abc_tooShort', 'dp_abc_has-dash-in-secret-xx']) expect(parseApiKey(bad)).toBeNull();
  });
});

describe(roleFromClaim.name, () => {
  it('takes one role from a string or an array, and nothing ambiguous', () => {
    expect(roleFromClaim('finance')).toBe('finance');
    expect(roleFromClaim(['offline_access', 'admin'])).toBe('admin');
    expect(roleFromClaim(['finance', 'admin'])).toBeNull();
    expect(roleFromClaim('root')).toBeNull();
    expect(roleFromClaim(undefined)).toBeNull();
  });
});
