import { describe, expect, it } from 'vitest';
import { formatDays, formatMoney, formatNumber, formatPercent, formatSignedPercent, MISSING } from './format';

describe('format', () => {
  it('formats currencies with Intl, in the locale asked for', () => {
    expect(formatMoney(1234.5, 'USD', 'en-US')).toBe('$1,234.50');
    expect(formatMoney(1234.5, 'EUR', 'de-DE').replace(/\s/g, ' ')).toBe('1.234,50 €');
  });

  it('reads a missing or non-finite value as an em dash', () => {
    for (const value of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(formatMoney(value)).toBe(MISSING);
      expect(formatPercent(value)).toBe(MISSING);
      expect(formatNumber(value)).toBe(MISSING);
    }
  });

  it('takes percentages in percent and shows the sign of a change', () => {
    expect(formatPercent(12.345, 1, 'en-US')).toBe('12.3%');
    expect(formatSignedPercent(4, 1, 'en-US')).toBe('+4.0%');
    expect(formatSignedPercent(-3.5, 1, 'en-US')).toBe('-3.5%');
    expect(formatSignedPercent(0, 1, 'en-US')).toBe('0.0%');
  });

  it('says days in words', () => {
    expect(formatDays(1, 'en-US')).toBe('1 day');
    expect(formatDays(3, 'en-US')).toBe('3 days');
  });
});
