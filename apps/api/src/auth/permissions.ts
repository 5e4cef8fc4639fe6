import { applyDecorators } from '@nestjs/common';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';

/** Who calls: machines (API keys) and people (sign-in) each hold exactly one role. */
export const ROLES = ['pos', 'merchandiser', 'data-scientist', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** What each role is for (docs/permissions.md). */
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  pos: 'POS systems, checkout and shelf-label exporters (API keys): ask prices, report sales, waste and stock.',
  merchandiser: 'People who run pricing: catalog, guardrails, overrides, decisions and dashboards.',
  'data-scientist': 'Models, experiments, drift and fairness.',
  finance: 'ROI reports and costs; read-only elsewhere.',
  admin: 'Everything, including users, API keys, the audit trail, forced overrides and metrics.',
};

/** Every permission a route can require. A route without one refuses every caller (default deny). */
export enum Permission {
  PricesQuote = 'prices:quote',
  DecisionsRead = 'decisions:read',
  CatalogRead = 'catalog:read',
  CatalogWrite = 'catalog:write',
  InventoryWrite = 'inventory:write',
  GuardrailsWrite = 'guardrails:write',
  OverridesWrite = 'overrides:write',
  OverridesForce = 'overrides:force',
  SalesWrite = 'sales:write',
  ModelsRead = 'models:read',
  ModelsWrite = 'models:write',
  ModelsPromote = 'models:promote',
  ExperimentsRead = 'experiments:read',
  ExperimentsWrite = 'experiments:write',
  ExperimentsDecide = 'experiments:decide',
  FairnessRead = 'fairness:read',
  FairnessRun = 'fairness:run',
  RoiRead = 'roi:read',
  RoiWrite = 'roi:write',
  AuditRead = 'audit:read',
  AccessManage = 'access:manage',
  MetricsRead = 'metrics:read',
  SessionUse = 'session:use',
  ClockSet = 'clock:set',
}

/**
 * THE permission matrix: role × permission, in one table. docs/permissions.md is generated from it
 * (`npm run docs:permissions`), and a test walks every registered route against it.
 */
export const PERMISSION_MATRIX: Readonly<Record<Permission, readonly Role[]>> = {
  [Permission.PricesQuote]: ['pos', 'merchandiser', 'admin'],
  [Permission.DecisionsRead]: ['merchandiser', 'data-scientist', 'admin'],
  [Permission.CatalogRead]: ['pos', 'merchandiser', 'data-scientist', 'finance', 'admin'],
  [Permission.CatalogWrite]: ['merchandiser', 'admin'],
  [Permission.InventoryWrite]: ['pos', 'merchandiser', 'admin'],
  [Permission.GuardrailsWrite]: ['merchandiser', 'admin'],
  [Permission.OverridesWrite]: ['merchandiser', 'admin'],
  [Permission.OverridesForce]: ['admin'],
  [Permission.SalesWrite]: ['pos', 'admin'],
  [Permission.ModelsRead]: ['merchandiser', 'data-scientist', 'finance', 'admin'],
  [Permission.ModelsWrite]: ['data-scientist', 'admin'],
  [Permission.ModelsPromote]: ['data-scientist', 'admin'],
  [Permission.ExperimentsRead]: ['merchandiser', 'data-scientist', 'finance', 'admin'],
  [Permission.ExperimentsWrite]: ['data-scientist', 'admin'],
  [Permission.ExperimentsDecide]: ['data-scientist', 'admin'],
  [Permission.FairnessRead]: ['merchandiser', 'data-scientist', 'finance', 'admin'],
  [Permission.FairnessRun]: ['data-scientist', 'admin'],
  [Permission.RoiRead]: ['merchandiser', 'data-scientist', 'finance', 'admin'],
  [Permission.RoiWrite]: ['finance', 'admin'],
  [Permission.AuditRead]: ['admin'],
  [Permission.AccessManage]: ['admin'],
  [Permission.MetricsRead]: ['admin'],
  [Permission.SessionUse]: ['pos', 'merchandiser', 'data-scientist', 'finance', 'admin'],
  [Permission.ClockSet]: ['admin'],
};

/** What each permission allows (docs/permissions.md). */
export const PERMISSION_DESCRIPTIONS: Readonly<Record<Permission, string>> = {
  [Permission.PricesQuote]: 'Price a basket or reprice a store (the hot path).',
  [Permission.DecisionsRead]: 'List and read price decisions and their explanations.',
  [Permission.CatalogRead]: 'Read stores, SKUs, inventory, guardrails and overrides.',
  [Permission.CatalogWrite]: 'Create, change and delete stores and SKUs.',
  [Permission.InventoryWrite]: 'Report and correct inventory lots.',
  [Permission.GuardrailsWrite]: 'Set guardrails (global, category, SKU).',
  [Permission.OverridesWrite]: 'Set, change and cancel temporary price overrides within floor / ceiling.',
  [Permission.OverridesForce]: 'Force an override outside the SKU floor / ceiling (`forced: true`).',
  [Permission.SalesWrite]: 'Report sales and waste.',
  [Permission.ModelsRead]: 'Read model versions, cards and aliases.',
  [Permission.ModelsWrite]: 'Train and upload model versions.',
  [Permission.ModelsPromote]: 'Promote and roll back the champion / challenger aliases.',
  [Permission.ExperimentsRead]: 'Read experiments and their analysis.',
  [Permission.ExperimentsWrite]: 'Create and change experiments.',
  [Permission.ExperimentsDecide]: 'Stop an experiment, ship the winner, roll back.',
  [Permission.FairnessRead]: 'Read fairness audits.',
  [Permission.FairnessRun]: 'Run a fairness audit on demand.',
  [Permission.RoiRead]: 'Read ROI and cost reports.',
  [Permission.RoiWrite]: 'Enter costs and ROI assumptions.',
  [Permission.AuditRead]: 'Query the audit trail of every call.',
  [Permission.AccessManage]: 'Manage users and API keys.',
  [Permission.MetricsRead]: 'Scrape Prometheus metrics.',
  [Permission.SessionUse]: 'Read one’s own identity and sign out.',
  [Permission.ClockSet]: 'Read and advance the simulated clock (SIMULATED_CLOCK only; the market simulator).',
};

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return PERMISSION_MATRIX[permission].includes(role);
}

/** Every permission a role holds, in the matrix's order. */
export function permissionsOf(role: Role): Permission[] {
  return (Object.values(Permission) as Permission[]).filter((permission) => roleHasPermission(role, permission));
}

/**
 * Where a route finds the store(s) a request is about, e.g. `body.storeId`, `params.id`,
 * `body.items[].storeId`. A caller limited to some stores (a store-scoped API key) may call a
 * route that changes data only if the route names its stores this way and all of them are allowed.
 */
export type StoreSelector = `${'body' | 'params' | 'query'}.${string}`;

export interface PermissionOptions {
  stores?: StoreSelector | readonly StoreSelector[];
}

/** What a route declares: open to anyone, or one permission (checked against the caller's role). */
export type RouteAccess = { kind: 'public' } | { kind: 'permission'; permission: Permission; stores: readonly StoreSelector[] };

/** Nest metadata key of the RouteAccess (read by the global AccessGuard). */
export const ACCESS_KEY = 'dynaprice:access';
/**
 * The same declaration in the Fastify route's `config`, so the Fastify router itself says what each
 * route requires: the onRequest hook refuses a missing credential before reading the body, and the
 * route-walk test reads it from the registered routes.
 */
export const ROUTE_ACCESS_CONFIG = 'dynapriceAccess';

type RouteFunction = (...args: never[]) => unknown;

function mirrorIntoRouteConfig(handler: RouteFunction, access: RouteAccess): void {
  const existing = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as Record<string, unknown> | undefined) ?? {};
  Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...existing, [ROUTE_ACCESS_CONFIG]: access }, handler);
}

/** Declares access on a method, or on a class for every method that does not declare its own. */
function declareAccess(access: RouteAccess): MethodDecorator & ClassDecorator {
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      const handler = descriptor.value as RouteFunction;
      Reflect.defineMetadata(ACCESS_KEY, access, handler);
      mirrorIntoRouteConfig(handler, access);
      return descriptor;
    }
    Reflect.defineMetadata(ACCESS_KEY, access, target);
    // Class decorators run after the method decorators: fill in the methods without their own.
    const prototype = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const member = prototype[name];
      if (name === 'constructor' || typeof member !== 'function' || Reflect.hasOwnMetadata(ACCESS_KEY, member)) continue;
      mirrorIntoRouteConfig(member as RouteFunction, access);
    }
    return target;
  }) as MethodDecorator & ClassDecorator;
}

/**
 * The permission a route requires (checked by the global guard against the caller's role). Routes
 * that act on stores name where the store ids are, so store-scoped API keys are held to them:
 * `@RequirePermission(Permission.PricesQuote, { stores: 'body.storeId' })`.
 */
export const RequirePermission = (permission: Permission, options: PermissionOptions = {}): MethodDecorator & ClassDecorator => {
  const stores = options.stores === undefined ? [] : typeof options.stores === 'string' ? [options.stores] : [...options.stores];
  return applyDecorators(
    declareAccess({ kind: 'permission', permission, stores }),
    ApiBearerAuth('bearer'),
    ApiSecurity('api-key'),
    ApiExtension('x-dynaprice-permission', { permission, roles: PERMISSION_MATRIX[permission] }),
  );
};

/** Open to anyone, signed in or not: health probes, sign-in, the API docs. */
export const Public = (): MethodDecorator & ClassDecorator => declareAccess({ kind: 'public' });
