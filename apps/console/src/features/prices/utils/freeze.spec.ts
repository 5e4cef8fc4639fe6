import { describe, expect, it } from 'vitest';
import { guardrail, pricedLine, sku } from '../../../test/fixtures';
import { freezeChange } from './freeze';
import { buildPriceRows } from './price-rows';

function row(guardrails: Parameters<typeof buildPriceRows>[0]['guardrails']) {
  const [first] = buildPriceRows({ skus: [sku()], lots: [], lines: [pricedLine()], guardrails, overrides: [], history: [], storeId: 'S01' });
  if (!first) throw new Error('no row');
  return first;
}

describe(freezeChange.name, () => {
  it('freezes on the SKU’s own level, patching it when it exists', () => {
    const own = guardrail({ scope: 'sku', scopeKey: 'PRD-001', minMarginPct: 10 });
    expect(freezeChange(row([own]), true)).toEqual({ code: 'PRD-001', existing: own, body: { frozen: true } });
    expect(freezeChange(row([]), true)).toEqual({ code: 'PRD-001', existing: null, body: { frozen: true } });
  });

  it('unfreezes by clearing the SKU’s setting, or overriding a frozen category with "not frozen"', () => {
    expect(freezeChange(row([guardrail({ scope: 'sku', scopeKey: 'PRD-001', frozen: true })]), false).body).toEqual({ frozen: null });
    expect(freezeChange(row([guardrail({ scope: 'category', scopeKey: 'produce', frozen: true })]), false).body).toEqual({ frozen: false });
  });
});
