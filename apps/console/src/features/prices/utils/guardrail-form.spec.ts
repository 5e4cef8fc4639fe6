import { describe, expect, it } from 'vitest';
import { guardrail } from '../../../test/fixtures';
import { parseGuardrailForm, toFormValues } from './guardrail-form';

describe(parseGuardrailForm.name, () => {
  const empty = toFormValues(null);

  it('turns empty fields into null (inherit)', () => {
    expect(parseGuardrailForm(empty)).toEqual({
      errors: {},
      body: { minMarginPct: null, maxChangePct: null, priceFloor: null, priceCeiling: null, priceEndings: null, frozen: null },
    });
  });

  it('reads numbers, endings and the frozen choice', () => {
    const { body, errors } = parseGuardrailForm({ ...empty, minMarginPct: '25', priceFloor: '0.99', priceEndings: '.99, 49 .49', frozen: 'frozen' });
    expect(errors).toEqual({});
    expect(body).toMatchObject({ minMarginPct: 25, priceFloor: 0.99, priceEndings: ['.49', '.99'], frozen: true });
    expect(parseGuardrailForm({ ...empty, priceEndings: 'any' }).body.priceEndings).toEqual([]);
  });

  it('names every field that is wrong', () => {
    const { errors } = parseGuardrailForm({ ...empty, minMarginPct: '120', priceFloor: '2.005', priceCeiling: '1', priceEndings: '.5' });
    expect(Object.keys(errors).sort()).toEqual(['minMarginPct', 'priceEndings', 'priceFloor']);
    expect(parseGuardrailForm({ ...empty, priceFloor: '3', priceCeiling: '2' }).errors.priceFloor).toBe('must not be above the ceiling');
  });

  it('round-trips a saved level', () => {
    const saved = guardrail({ minMarginPct: 15, priceEndings: [], frozen: false });
    expect(parseGuardrailForm(toFormValues(saved)).body).toMatchObject({ minMarginPct: 15, priceEndings: [], frozen: false });
  });
});
