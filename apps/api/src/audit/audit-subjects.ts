import { SKU_CODE_PATTERN, STORE_ID_PATTERN } from '@dynaprice/catalog';
import { selectValues } from '../auth/access-policy';
import type { RouteAccess } from '../auth/permissions';

const MAX_SUBJECTS = 500;

export interface AuditSubjects {
  storeIds: string[] | null;
  skuCodes: string[] | null;
}

function collect(values: unknown[], pattern: RegExp): string[] | null {
  const found = new Set<string>();
  for (const value of values) {
    if (found.size >= MAX_SUBJECTS) break;
    // Only well-formed ids are kept: whatever else a body holds never reaches the audit trail.
    if (typeof value === 'string' && pattern.test(value)) found.add(value);
  }
  return found.size > 0 ? [...found].sort() : null;
}

/**
 * The stores and SKUs a call was about, for the audit trail's `store` and `sku` filters: `storeId` /
 * `skuCode` at the top of the body or in its `items`, the route's declared store selectors, and the
 * `:id` / `:code` of /v1/stores and /v1/skus routes.
 */
export function auditSubjects(route: string, access: RouteAccess | null, request: { body?: unknown; params?: unknown; query?: unknown }): AuditSubjects {
  const stores: unknown[] = [
    ...selectValues('body.storeId', request),
    ...selectValues('body.items[].storeId', request),
    ...selectValues('body.events[].storeId', request),
    ...selectValues('query.storeId', request),
    ...selectValues('params.storeId', request),
  ];
  const skus: unknown[] = [
    ...selectValues('body.skuCode', request),
    ...selectValues('body.items[].skuCode', request),
    ...selectValues('body.events[].skuCode', request),
    ...selectValues('query.skuCode', request),
    ...selectValues('params.skuCode', request),
  ];
  if (access?.kind === 'permission') for (const selector of access.stores) stores.push(...selectValues(selector, request));
  if (route.startsWith('/v1/stores/:id')) stores.push(...selectValues('params.id', request));
  if (route.startsWith('/v1/skus/:code')) skus.push(...selectValues('params.code', request));
  return { storeIds: collect(stores, STORE_ID_PATTERN), skuCodes: collect(skus, SKU_CODE_PATTERN) };
}
