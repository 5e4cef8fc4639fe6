import type { Permission } from '../../auth/utils/permissions';
import { operation, type Capabilities, type Operation } from '../../capabilities/utils/capabilities';

export interface ConsolePage {
  path: string;
  label: string;
  /** Who sees it in the navigation (and may open it): any one of these permissions. */
  permissions: readonly Permission[];
  /** The operations without which the page cannot show anything. */
  requires: readonly Operation[];
}

export const PRICES_OPERATIONS = [
  operation('get', '/v1/stores'),
  operation('get', '/v1/skus'),
  operation('get', '/v1/inventory'),
  operation('get', '/v1/guardrails'),
  operation('get', '/v1/overrides'),
  operation('post', '/v1/stores/{id}/reprice'),
] as const;

export const ROI_OPERATIONS = [operation('get', '/v1/roi'), operation('get', '/v1/roi/costs'), operation('get', '/v1/roi/outcomes')] as const;
export const MODELS_OPERATIONS = [operation('get', '/v1/models'), operation('get', '/v1/models/aliases')] as const;
export const EXPERIMENTS_OPERATIONS = [operation('get', '/v1/experiments')] as const;
export const FAIRNESS_OPERATIONS = [operation('get', '/v1/fairness/audits'), operation('get', '/v1/fairness/audits/{id}')] as const;

/** The console's pages, in navigation order. Finance starts on the reports; merchandisers on prices. */
export const CONSOLE_PAGES: readonly ConsolePage[] = [
  { path: '/prices', label: 'Prices', permissions: ['prices:quote'], requires: PRICES_OPERATIONS },
  { path: '/experiments', label: 'Experiments', permissions: ['experiments:read'], requires: EXPERIMENTS_OPERATIONS },
  { path: '/models', label: 'Models', permissions: ['models:read'], requires: MODELS_OPERATIONS },
  { path: '/fairness', label: 'Fairness', permissions: ['fairness:read'], requires: FAIRNESS_OPERATIONS },
  { path: '/roi', label: 'ROI', permissions: ['roi:read'], requires: ROI_OPERATIONS },
  { path: '/audit', label: 'Audit trail', permissions: ['decisions:read', 'audit:read'], requires: [operation('get', '/v1/decisions')] },
];

/** The pages a user may open, each marked with whether this server can fill it. */
export function visiblePages(can: (permission: Permission) => boolean, capabilities: Capabilities): Array<ConsolePage & { available: boolean }> {
  return CONSOLE_PAGES.filter((page) => page.permissions.some(can)).map((page) => ({ ...page, available: capabilities.hasAll(page.requires) }));
}

/** Where each kind of user starts: who prices on Prices, finance on ROI, data scientists on Models. */
const HOME_BY_PERMISSION: ReadonlyArray<[Permission, string]> = [
  ['prices:quote', '/prices'],
  ['roi:write', '/roi'],
  ['models:write', '/models'],
];

/** Where `/` leads: the user's natural start page if the server can fill it, else the first page it can fill. */
export function homePath(pages: ReadonlyArray<ConsolePage & { available: boolean }>, can: (permission: Permission) => boolean): string | null {
  const available = pages.filter((page) => page.available);
  for (const [permission, path] of HOME_BY_PERMISSION) if (can(permission) && available.some((page) => page.path === path)) return path;
  return (available[0] ?? pages[0])?.path ?? null;
}
