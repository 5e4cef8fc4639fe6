import { DomainError, type FieldProblem } from '@dynaprice/kernel';

/** The levels guardrails are set at, least specific first. */
export const GUARDRAIL_LEVELS = ['global', 'category', 'sku'] as const;
export type GuardrailLevel = (typeof GUARDRAIL_LEVELS)[number];

/**
 * One level of guardrails as a merchandiser sets it. A missing or null field inherits from the level
 * above (global → category → SKU); `priceEndings: []` is a value ("any cents"), not "inherit".
 */
export interface GuardrailSet {
  /** Minimum margin over unit cost, percent of the price: (price − cost) / price ≥ minMarginPct / 100. */
  readonly minMarginPct?: number | null;
  /** Largest move, percent, against the price in force at the start of the store's day. */
  readonly maxChangePct?: number | null;
  readonly priceFloor?: number | null;
  readonly priceCeiling?: number | null;
  /** Allowed cents parts, e.g. ['.49', '.99']; [] = any. */
  readonly priceEndings?: readonly string[] | null;
  /** Keep the last decided price (the list price if there is none). */
  readonly frozen?: boolean | null;
}

export const GUARDRAIL_FIELDS = ['minMarginPct', 'maxChangePct', 'priceFloor', 'priceCeiling', 'priceEndings', 'frozen'] as const;
export type GuardrailField = (typeof GUARDRAIL_FIELDS)[number];

/** The guardrails that apply to one SKU, and which level supplied each field (null: no level set it). */
export interface ResolvedGuardrails {
  readonly minMarginPct: number | null;
  readonly maxChangePct: number | null;
  readonly priceFloor: number | null;
  readonly priceCeiling: number | null;
  /** Allowed cents parts, sorted, unique; [] = any. */
  readonly priceEndings: readonly string[];
  readonly frozen: boolean;
  readonly source: Readonly<Record<GuardrailField, GuardrailLevel | null>>;
}

export const NO_GUARDRAILS: ResolvedGuardrails = Object.freeze({
  minMarginPct: null,
  maxChangePct: null,
  priceFloor: null,
  priceCeiling: null,
  priceEndings: Object.freeze([]) as readonly string[],
  frozen: false,
  source: Object.freeze({ minMarginPct: null, maxChangePct: null, priceFloor: null, priceCeiling: null, priceEndings: null, frozen: null }),
});

const ENDING_PATTERN = /^\.\d{2}$/;

function isWholeCents(value: number): boolean {
  return Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}

/** Every problem of one guardrail set; `path` prefixes the field names (`sku.`, `items[3].`). */
export function guardrailProblems(set: GuardrailSet, path = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: GuardrailField, message: string) => problems.push({ field: `${path}${field}`, message });
  const { minMarginPct, maxChangePct, priceFloor, priceCeiling, priceEndings, frozen } = set;
  if (minMarginPct != null && !(typeof minMarginPct === 'number' && minMarginPct >= 0 && minMarginPct < 100)) {
    problem('minMarginPct', 'must be a percentage of at least 0 and below 100');
  }
  if (maxChangePct != null && !(typeof maxChangePct === 'number' && maxChangePct >= 0 && maxChangePct <= 100)) {
    problem('maxChangePct', 'must be a percentage from 0 to 100');
  }
  for (const field of ['priceFloor', 'priceCeiling'] as const) {
    const value = set[field];
    if (value != null && !(typeof value === 'number' && Number.isFinite(value) && value > 0 && isWholeCents(value))) {
      problem(field, 'must be a positive amount in whole cents');
    }
  }
  if (typeof priceFloor === 'number' && typeof priceCeiling === 'number' && priceFloor > priceCeiling) {
    problem('priceFloor', `must not exceed priceCeiling (${priceCeiling})`);
  }
  if (priceEndings != null) {
    if (!Array.isArray(priceEndings)) problem('priceEndings', 'must be a list of cents endings such as ".49"');
    else {
      const seen = new Set<string>();
      priceEndings.forEach((ending: unknown, index) => {
        if (typeof ending !== 'string' || !ENDING_PATTERN.test(ending)) {
          problems.push({ field: `${path}priceEndings[${index}]`, message: 'must be a dot and two digits, e.g. ".99"' });
        } else if (seen.has(ending)) {
          problems.push({ field: `${path}priceEndings[${index}]`, message: `duplicates ${ending}` });
        } else seen.add(ending);
      });
    }
  }
  if (frozen != null && typeof frozen !== 'boolean') problem('frozen', 'must be true or false');
  return problems;
}

/** Throws DomainError VALIDATION_FAILED naming every offending field (the first one is `error.field`). */
export function validateGuardrails(set: GuardrailSet, path = ''): void {
  const problems = guardrailProblems(set, path);
  const first = problems[0];
  if (!first) return;
  if (problems.length === 1) throw DomainError.validation(first.field, first.message);
  throw new DomainError('VALIDATION_FAILED', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}

/**
 * Merges the levels field by field, the most specific set value winning, and records which level
 * supplied each field. Each level is validated (fields named `global.minMarginPct`, `sku.priceFloor`…).
 * A floor from one level above a ceiling from another is not an error here: the decision resolves it
 * by precedence (the ceiling wins).
 */
export function resolveGuardrails(global: GuardrailSet, category?: GuardrailSet | null, sku?: GuardrailSet | null): ResolvedGuardrails {
  const levels: readonly [GuardrailLevel, GuardrailSet | null | undefined][] = [
    ['sku', sku],
    ['category', category],
    ['global', global],
  ];
  for (const [level, set] of levels) if (set) validateGuardrails(set, `${level}.`);

  const source: Record<GuardrailField, GuardrailLevel | null> = {
    minMarginPct: null,
    maxChangePct: null,
    priceFloor: null,
    priceCeiling: null,
    priceEndings: null,
    frozen: null,
  };
  const pick = <F extends GuardrailField>(field: F): NonNullable<GuardrailSet[F]> | null => {
    for (const [level, set] of levels) {
      const value = set?.[field];
      if (value != null) {
        source[field] = level;
        return value as NonNullable<GuardrailSet[F]>;
      }
    }
    return null;
  };
  const endings = pick('priceEndings');
  return {
    minMarginPct: pick('minMarginPct'),
    maxChangePct: pick('maxChangePct'),
    priceFloor: pick('priceFloor'),
    priceCeiling: pick('priceCeiling'),
    priceEndings: endings ? [...endings].sort() : [],
    frozen: pick('frozen') ?? false,
    source,
  };
}

/** The cents parts of allowed endings ('.49' → 49), sorted ascending. */
export function endingCents(endings: readonly string[]): number[] {
  return endings.map((ending) => Number(ending.slice(1))).sort((a, b) => a - b);
}
