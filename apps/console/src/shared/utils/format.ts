/**
 * Every number the console shows goes through Intl: currencies, percentages, units, dates — in the
 * reader's locale (tests pin one). A missing value reads as an em dash.
 */
export const MISSING = '—';

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}

const present = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);

export function formatMoney(value: number | null | undefined, currency = 'USD', locale?: string): string {
  return present(value) ? numberFormat(locale, { style: 'currency', currency }).format(value) : MISSING;
}

/** `value` in percent (12.5 → "12.5%"). */
export function formatPercent(value: number | null | undefined, digits = 1, locale?: string): string {
  return present(value) ? numberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value / 100) : MISSING;
}

/** A change in percent with its sign (+4.0%, −3.5%). */
export function formatSignedPercent(value: number | null | undefined, digits = 1, locale?: string): string {
  return present(value)
    ? numberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: 'exceptZero' }).format(value / 100)
    : MISSING;
}

export function formatNumber(value: number | null | undefined, maximumFractionDigits = 0, locale?: string): string {
  return present(value) ? numberFormat(locale, { maximumFractionDigits }).format(value) : MISSING;
}

export function formatDays(value: number | null | undefined, locale?: string): string {
  return present(value) ? numberFormat(locale, { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(value) : MISSING;
}

export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return MISSING;
  const date = new Date(iso);
  return Number.isNaN(+date) ? MISSING : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(iso: string | null | undefined, locale?: string): string {
  if (!iso) return MISSING;
  const date = new Date(iso);
  return Number.isNaN(+date) ? MISSING : new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date);
}
