import { describe, expect, it } from 'vitest';
import { defaultAuditForm, parseAuditForm } from './audit-filters';

const NOW = new Date('2026-11-26T12:00:00Z');

describe(parseAuditForm.name, () => {
  it('searches the last week by default', () => {
    const { filters, errors } = parseAuditForm(defaultAuditForm(NOW), NOW);
    expect(errors).toEqual({});
    expect(filters.from).toBe('2026-11-19T12:00:00.000Z');
    expect(filters.to).toBeUndefined();
  });

  it('passes store, SKU and reason, and keeps the caller for the calls search', () => {
    const parsed = parseAuditForm({ ...defaultAuditForm(NOW), storeId: 'S01', skuCode: 'PRD-001', reason: 'override', caller: 'user:a@b.c' }, NOW);
    expect(parsed.filters).toMatchObject({ storeId: 'S01', skuCode: 'PRD-001', reason: 'override' });
    expect(parsed.caller).toBe('user:a@b.c');
  });

  it('refuses a window over 31 days, a reversed window and a malformed SKU code', () => {
    expect(parseAuditForm({ ...defaultAuditForm(NOW), from: '2026-09-01T00:00' }, NOW).errors.from).toMatch(/31 days/);
    expect(parseAuditForm({ ...defaultAuditForm(NOW), from: '2026-11-20T00:00', to: '2026-11-19T00:00' }, NOW).errors.from).toMatch(/before/);
    expect(parseAuditForm({ ...defaultAuditForm(NOW), skuCode: 'no spaces' }, NOW).errors.skuCode).toBeDefined();
  });
});
