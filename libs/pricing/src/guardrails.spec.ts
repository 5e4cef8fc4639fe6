import { DomainError } from '@dynaprice/kernel';
import fc from 'fast-check';
import { GUARDRAIL_FIELDS, guardrailProblems, resolveGuardrails, validateGuardrails, type GuardrailSet } from './guardrails';

function validationField(action: () => void): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'VALIDATION_FAILED') return error.field;
    throw error;
  }
  return undefined;
}

describe(resolveGuardrails.name, () => {
  it('takes each field from the most specific level that sets it', () => {
    const resolved = resolveGuardrails(
      { minMarginPct: 10, maxChangePct: 20, priceEndings: ['.99'], frozen: false },
      { minMarginPct: 25, priceFloor: 1.5 },
      { priceCeiling: 9.99, frozen: true },
    );
    expect(resolved).toMatchObject({ minMarginPct: 25, maxChangePct: 20, priceFloor: 1.5, priceCeiling: 9.99, priceEndings: ['.99'], frozen: true });
    expect(resolved.source).toEqual({
      minMarginPct: 'category',
      maxChangePct: 'global',
      priceFloor: 'category',
      priceCeiling: 'sku',
      priceEndings: 'global',
      frozen: 'sku',
    });
  });

  it('treats null as inherit, but an empty endings list and frozen: false as values', () => {
    const resolved = resolveGuardrails({ priceEndings: ['.49', '.99'], frozen: true, minMarginPct: 5 }, { priceEndings: [], minMarginPct: null }, { frozen: false });
    expect(resolved.priceEndings).toEqual([]);
    expect(resolved.source.priceEndings).toBe('category');
    expect(resolved.frozen).toBe(false);
    expect(resolved.minMarginPct).toBe(5);
  });

  it('leaves fields no level sets empty, with no source', () => {
    const resolved = resolveGuardrails({});
    expect(resolved).toMatchObject({ minMarginPct: null, maxChangePct: null, priceFloor: null, priceCeiling: null, priceEndings: [], frozen: false });
    expect(Object.values(resolved.source).every((level) => level === null)).toBe(true);
  });

  it('names the level of an invalid field', () => {
    expect(validationField(() => resolveGuardrails({}, { maxChangePct: 140 }))).toBe('category.maxChangePct');
    expect(validationField(() => resolveGuardrails({}, null, { priceEndings: ['99'] }))).toBe('sku.priceEndings[0]');
  });

  it('lets the most specific level win field by field, for any three levels', () => {
    const level = fc.record(
      {
        minMarginPct: fc.option(fc.integer({ min: 0, max: 99 })),
        maxChangePct: fc.option(fc.integer({ min: 0, max: 100 })),
        priceFloor: fc.option(fc.integer({ min: 1, max: 500 }).map((c) => c / 100)),
        priceCeiling: fc.option(fc.integer({ min: 501, max: 2000 }).map((c) => c / 100)),
        priceEndings: fc.option(fc.subarray(['.00', '.49', '.95', '.99'])),
        frozen: fc.option(fc.boolean()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(level, fc.option(level), fc.option(level), (global: GuardrailSet, category: GuardrailSet | null, sku: GuardrailSet | null) => {
        const resolved = resolveGuardrails(global, category, sku);
        for (const field of GUARDRAIL_FIELDS) {
          const expectedLevel = sku?.[field] != null ? 'sku' : category?.[field] != null ? 'category' : global[field] != null ? 'global' : null;
          expect(resolved.source[field]).toBe(expectedLevel);
          const expectedValue = expectedLevel === 'sku' ? sku?.[field] : expectedLevel === 'category' ? category?.[field] : expectedLevel === 'global' ? global[field] : undefined;
          if (field === 'priceEndings') expect(resolved.priceEndings).toEqual([...((expectedValue as string[] | undefined) ?? [])].sort());
          else if (field === 'frozen') expect(resolved.frozen).toBe(expectedValue ?? false);
          else expect(resolved[field]).toBe(expectedValue ?? null);
        }
      }),
    );
  });
});

describe(validateGuardrails.name, () => {
  it('accepts a complete, consistent set', () => {
    expect(guardrailProblems({ minMarginPct: 0, maxChangePct: 100, priceFloor: 0.5, priceCeiling: 0.5, priceEndings: ['.00', '.99'], frozen: true })).toEqual([]);
  });

  it.each<[GuardrailSet, string]>([
    [{ minMarginPct: -1 }, 'minMarginPct'],
    [{ minMarginPct: 100 }, 'minMarginPct'],
    [{ minMarginPct: Number.NaN }, 'minMarginPct'],
    [{ maxChangePct: 100.5 }, 'maxChangePct'],
    [{ maxChangePct: -0.1 }, 'maxChangePct'],
    [{ priceFloor: 0 }, 'priceFloor'],
    [{ priceFloor: 1.234 }, 'priceFloor'],
    [{ priceCeiling: Number.POSITIVE_INFINITY }, 'priceCeiling'],
    [{ priceFloor: 3, priceCeiling: 2 }, 'priceFloor'],
    [{ priceEndings: ['.9'] }, 'priceEndings[0]'],
    [{ priceEndings: ['.49', '0.99'] }, 'priceEndings[1]'],
    [{ priceEndings: ['.99', '.99'] }, 'priceEndings[1]'],
  ])('rejects %j, naming %s', (set, field) => {
    expect(validationField(() => validateGuardrails(set, 'sku.'))).toBe(`sku.${field}`);
  });

  it('reports every problem, the first as the error field', () => {
    const problems = guardrailProblems({ minMarginPct: 120, priceCeiling: -1 });
    expect(problems.map((p) => p.field)).toEqual(['minMarginPct', 'priceCeiling']);
    expect(validationField(() => validateGuardrails({ minMarginPct: 120, priceCeiling: -1 }))).toBe('minMarginPct');
  });
});
