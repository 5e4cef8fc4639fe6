import { describe, expect, it } from 'vitest';
import { guardrail } from '../../../test/fixtures';
import { effectiveGuardrails } from './guardrail-levels';

describe(effectiveGuardrails.name, () => {
  const global = guardrail({ scope: 'global', minMarginPct: 10, priceEndings: ['.99'], frozen: false });
  const category = guardrail({ scope: 'category', scopeKey: 'dairy', minMarginPct: 20, maxChangePct: 15 });
  const sku = guardrail({ scope: 'sku', scopeKey: 'PRD-013', maxChangePct: 5, frozen: true });

  it('takes each field from the most specific level that sets it', () => {
    const effective = effectiveGuardrails(global, category, sku);
    expect(effective).toMatchObject({ minMarginPct: 20, maxChangePct: 5, priceEndings: ['.99'], frozen: true });
    expect(effective.source).toMatchObject({ minMarginPct: 'category', maxChangePct: 'sku', priceEndings: 'global', frozen: 'sku', priceFloor: null });
  });

  it('treats an empty list of endings as a value ("any"), not as inherit', () => {
    expect(effectiveGuardrails(global, null, guardrail({ scope: 'sku', priceEndings: [] })).priceEndings).toEqual([]);
  });

  it('is unfrozen and unlimited with no level at all', () => {
    expect(effectiveGuardrails(null, null, null)).toMatchObject({ frozen: false, minMarginPct: null, priceEndings: [] });
  });
});
