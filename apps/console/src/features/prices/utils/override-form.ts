import type { RequestBody } from '@dynaprice/api-client';

type OverrideBody = RequestBody<'CreateOverrideDto'>;

export type OverridePriceMode = 'fixed' | 'percentOfList';
export type OverrideScope = 'store' | 'chain';

export interface OverrideFormValues {
  mode: OverridePriceMode;
  /** The price (mode fixed) or the percentage of the list price (mode percentOfList). */
  amount: string;
  scope: OverrideScope;
  /** A `datetime-local` value in the reader's time zone. */
  endsAt: string;
  reason: string;
}

export interface OverrideTarget {
  code: string;
  listPrice: number;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** `datetime-local` text for a date, in the reader's time zone. */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The default end: two days from now, at the end of that day. */
export function defaultEndsAt(now: Date): string {
  const end = new Date(now);
  end.setDate(end.getDate() + 2);
  end.setHours(23, 59, 0, 0);
  return toLocalInput(end);
}

export interface ParsedOverrideForm {
  bodies: OverrideBody[];
  errors: Partial<Record<keyof OverrideFormValues, string>>;
}

const roundCents = (value: number) => Math.round(value * 100) / 100;

/** One override per target, or the problems to show next to each field. */
export function parseOverrideForm(values: OverrideFormValues, targets: readonly OverrideTarget[], storeId: string, now: Date): ParsedOverrideForm {
  const errors: ParsedOverrideForm['errors'] = {};
  const amount = Number(values.amount.trim());
  if (values.amount.trim() === '' || !Number.isFinite(amount) || amount <= 0) errors.amount = values.mode === 'fixed' ? 'enter a price above zero' : 'enter a percentage above zero';
  else if (values.mode === 'fixed' && Math.abs(amount * 100 - Math.round(amount * 100)) > 1e-6) errors.amount = 'must be in whole cents';
  else if (values.mode === 'percentOfList' && amount > 500) errors.amount = 'at most 500 %';
  const ends = new Date(values.endsAt);
  if (!values.endsAt || Number.isNaN(+ends)) errors.endsAt = 'choose when the override ends';
  else if (+ends <= +now) errors.endsAt = 'must be in the future';
  const reason = values.reason.trim();
  if (reason.length < 3) errors.reason = 'say why, in at least 3 characters';
  else if (reason.length > 500) errors.reason = 'at most 500 characters';
  if (Object.keys(errors).length > 0) return { bodies: [], errors };
  return {
    errors,
    bodies: targets.map((target) => ({
      skuCode: target.code,
      storeId: values.scope === 'store' ? storeId : null,
      price: values.mode === 'fixed' ? amount : Math.max(0.01, roundCents((target.listPrice * amount) / 100)),
      endsAt: ends.toISOString(),
      reason,
    })),
  };
}
