import type { RequestBody, Schemas } from '@dynaprice/api-client';

type Guardrail = Schemas['GuardrailDto'];
type GuardrailBody = RequestBody<'UpdateGuardrailDto'>;

export type FrozenChoice = 'inherit' | 'frozen' | 'unfrozen';

/** The guardrail form as typed: empty means "inherit from the level above". */
export interface GuardrailFormValues {
  minMarginPct: string;
  maxChangePct: string;
  priceFloor: string;
  priceCeiling: string;
  priceEndings: string;
  frozen: FrozenChoice;
}

export const ANY_ENDING = 'any';

export function toFormValues(guardrail: Guardrail | null): GuardrailFormValues {
  const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));
  return {
    minMarginPct: text(guardrail?.minMarginPct),
    maxChangePct: text(guardrail?.maxChangePct),
    priceFloor: text(guardrail?.priceFloor),
    priceCeiling: text(guardrail?.priceCeiling),
    priceEndings: guardrail?.priceEndings == null ? '' : guardrail.priceEndings.length === 0 ? ANY_ENDING : guardrail.priceEndings.join(', '),
    frozen: guardrail?.frozen == null ? 'inherit' : guardrail.frozen ? 'frozen' : 'unfrozen',
  };
}

export interface ParsedGuardrailForm {
  body: GuardrailBody;
  errors: Partial<Record<keyof GuardrailFormValues, string>>;
}

function parseNumber(raw: string, { min, max, cents }: { min: number; max: number; cents: boolean }): number | null | string {
  const text = raw.trim();
  if (text === '') return null;
  const value = Number(text);
  if (!Number.isFinite(value)) return 'must be a number';
  if (value < min || value > max) return `must be between ${min} and ${max}`;
  if (Math.abs(value * 100 - Math.round(value * 100)) > 1e-6) return cents ? 'must be in whole cents' : 'at most two decimals';
  return value;
}

/** The form as an API body (null = inherit), or the problems to show next to each field. */
export function parseGuardrailForm(values: GuardrailFormValues): ParsedGuardrailForm {
  const errors: ParsedGuardrailForm['errors'] = {};
  const body: GuardrailBody = {};
  const numeric = [
    ['minMarginPct', { min: 0, max: 95, cents: false }],
    ['maxChangePct', { min: 0.01, max: 100, cents: false }],
    ['priceFloor', { min: 0.01, max: 1_000_000, cents: true }],
    ['priceCeiling', { min: 0.01, max: 1_000_000, cents: true }],
  ] as const;
  for (const [field, limits] of numeric) {
    const parsed = parseNumber(values[field], limits);
    if (typeof parsed === 'string') errors[field] = parsed;
    else body[field] = parsed;
  }
  if (typeof body.priceFloor === 'number' && typeof body.priceCeiling === 'number' && body.priceFloor > body.priceCeiling) {
    errors.priceFloor = 'must not be above the ceiling';
  }
  const endings = values.priceEndings.trim();
  if (endings === '') body.priceEndings = null;
  else if (endings.toLowerCase() === ANY_ENDING) body.priceEndings = [];
  else {
    const list = endings
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((ending) => (ending.startsWith('.') ? ending : `.${ending}`));
    const bad = list.find((ending) => !/^\.\d{2}$/.test(ending));
    if (bad) errors.priceEndings = `"${bad}" is not a cents ending such as .49 or .99`;
    else body.priceEndings = [...new Set(list)].sort();
  }
  body.frozen = values.frozen === 'inherit' ? null : values.frozen === 'frozen';
  return { body, errors };
}
