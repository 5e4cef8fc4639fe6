import type { Schemas } from '@dynaprice/api-client';

type Guardrail = Schemas['GuardrailDto'];
export type GuardrailLevel = Guardrail['scope'];

/** The guardrails in force for one SKU, and the level each one comes from (null: no level sets it). */
export interface EffectiveGuardrails {
  minMarginPct: number | null;
  maxChangePct: number | null;
  priceFloor: number | null;
  priceCeiling: number | null;
  /** Allowed cents endings; [] = any. */
  priceEndings: string[];
  frozen: boolean;
  source: Record<'minMarginPct' | 'maxChangePct' | 'priceFloor' | 'priceCeiling' | 'priceEndings' | 'frozen', GuardrailLevel | null>;
}

export const NO_GUARDRAILS: EffectiveGuardrails = {
  minMarginPct: null,
  maxChangePct: null,
  priceFloor: null,
  priceCeiling: null,
  priceEndings: [],
  frozen: false,
  source: { minMarginPct: null, maxChangePct: null, priceFloor: null, priceCeiling: null, priceEndings: null, frozen: null },
};

/**
 * How the API documents guardrail levels (GuardrailDto): "a field left out (or null) inherits from
 * the level above" — SKU over category over global, field by field. For display only: the API applies them.
 */
export function effectiveGuardrails(global: Guardrail | null, category: Guardrail | null, sku: Guardrail | null): EffectiveGuardrails {
  const levels = [sku, category, global].filter((level): level is Guardrail => level !== null);
  const pick = <F extends keyof EffectiveGuardrails['source']>(field: F): { value: NonNullable<Guardrail[F]> | null; level: GuardrailLevel | null } => {
    for (const level of levels) {
      const value = level[field];
      if (value !== null && value !== undefined) return { value: value as NonNullable<Guardrail[F]>, level: level.scope };
    }
    return { value: null, level: null };
  };
  const minMargin = pick('minMarginPct');
  const maxChange = pick('maxChangePct');
  const floor = pick('priceFloor');
  const ceiling = pick('priceCeiling');
  const endings = pick('priceEndings');
  const frozen = pick('frozen');
  return {
    minMarginPct: minMargin.value,
    maxChangePct: maxChange.value,
    priceFloor: floor.value,
    priceCeiling: ceiling.value,
    priceEndings: endings.value ?? [],
    frozen: frozen.value ?? false,
    source: { minMarginPct: minMargin.level, maxChangePct: maxChange.level, priceFloor: floor.level, priceCeiling: ceiling.level, priceEndings: endings.level, frozen: frozen.level },
  };
}
