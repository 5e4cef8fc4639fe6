import { SKU_CODE_PATTERN } from '@dynaprice/catalog';
import type { DecisionFilters } from '../../../api/query-keys';
import { toLocalInput } from '../../prices/utils/override-form';

/** The audit search form as typed (datetime-local values in the reader's time zone). */
export interface AuditFormValues {
  storeId: string;
  skuCode: string;
  reason: string;
  from: string;
  to: string;
  caller: string;
}

export const MAX_WINDOW_DAYS = 31;

/** The window a search starts with: a week, which spans at least one decision per store and SKU. */
export const DEFAULT_WINDOW_DAYS = 7;

export function defaultAuditForm(now: Date): AuditFormValues {
  return { storeId: '', skuCode: '', reason: '', from: toLocalInput(new Date(+now - DEFAULT_WINDOW_DAYS * 24 * 60 * 60 * 1000)), to: '', caller: '' };
}

export interface ParsedAuditForm {
  filters: DecisionFilters;
  caller: string;
  errors: Partial<Record<keyof AuditFormValues, string>>;
}

/** The API filters for a search (the API allows at most 31 days per query), or what is wrong with it. */
export function parseAuditForm(values: AuditFormValues, now: Date): ParsedAuditForm {
  const errors: ParsedAuditForm['errors'] = {};
  const from = values.from ? new Date(values.from) : null;
  const to = values.to ? new Date(values.to) : now;
  if (from && Number.isNaN(+from)) errors.from = 'not a date and time';
  if (Number.isNaN(+to)) errors.to = 'not a date and time';
  if (from && !errors.from && !errors.to) {
    if (+from > +to) errors.from = 'must be before “to”';
    else if (+to - +from > MAX_WINDOW_DAYS * 24 * 60 * 60 * 1000) errors.from = `the window may span at most ${MAX_WINDOW_DAYS} days`;
  }
  const skuCode = values.skuCode.trim();
  if (skuCode && !SKU_CODE_PATTERN.test(skuCode)) errors.skuCode = 'not a SKU code';
  const filters: DecisionFilters = {
    ...(values.storeId ? { storeId: values.storeId } : {}),
    ...(skuCode ? { skuCode } : {}),
    ...(values.reason ? { reason: values.reason } : {}),
    ...(from && !errors.from ? { from: from.toISOString() } : {}),
    ...(values.to && !errors.to ? { to: to.toISOString() } : {}),
  };
  return { filters, caller: values.caller.trim(), errors };
}
