import { SetMetadata } from '@nestjs/common';

/** Who calls: machines (API keys) and people (sign-in) each hold exactly one role. */
export const ROLES = ['pos', 'merchandiser', 'data-scientist', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

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
};

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return PERMISSION_MATRIX[permission].includes(role);
}

export const PERMISSION_KEY = 'dynaprice:permission';
export const PUBLIC_KEY = 'dynaprice:public';

/** The permission a route requires (checked by the global guard against the caller's role). */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator => SetMetadata(PERMISSION_KEY, permission);

/** Open to anyone, signed in or not: health probes, sign-in, the API docs. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);
