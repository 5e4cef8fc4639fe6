import { DomainError, type FieldProblem } from '@dynaprice/kernel';
import { chooseVariation, getBucketRanges, hash, inNamespace, type BucketRange, type HashVersion, type Namespace } from './hashing';

/** What one assignment unit is: a whole store (default: shelves show one price), a store×SKU, or a customer / session. */
export type AssignmentUnit = 'store' | 'store_sku' | 'customer';

export const ASSIGNMENT_UNITS: readonly AssignmentUnit[] = ['store', 'store_sku', 'customer'];

export interface VariantDefinition {
  /** Stable key, e.g. `legacy` or `model`. */
  key: string;
  /** Share of the covered units, 0–1; the weights of an experiment sum to 1. */
  weight: number;
}

/** The part of an experiment that decides assignment. Everything in it is plain data: assignment is a pure function of it. */
export interface AssignmentDefinition {
  /** Hash seed (GrowthBook's `seed`, defaulting there to the experiment key). Change it to re-randomise. */
  salt: string;
  unit: AssignmentUnit;
  /**
   * Variants in range order. Ranges are contiguous in this order, so moving weight between two
   * neighbours only moves the units at their shared boundary (see README, "Changing weights").
   */
  variants: readonly VariantDefinition[];
  /** Share of units in the experiment at all (GrowthBook `coverage`), default 1. */
  coverage?: number;
  /** GrowthBook hashing version, default 2 (unbiased). */
  hashVersion?: HashVersion;
  /** Optional GrowthBook namespace slice, for mutually exclusive experiments. */
  namespace?: Namespace;
}

/** The ids a unit can be built from; which are needed depends on the unit kind. */
export interface UnitKeys {
  storeId?: string;
  skuCode?: string;
  /** Customer id or session id (already hashed upstream if it is a customer id). */
  customerId?: string;
}

/** The string that is hashed for a unit: `storeId`, `${storeId}:${skuCode}`, or the customer / session id. */
export function assignmentUnitId(unit: AssignmentUnit, keys: UnitKeys): string {
  switch (unit) {
    case 'store':
      return required(keys.storeId, 'storeId');
    case 'store_sku':
      return `${required(keys.storeId, 'storeId')}:${required(keys.skuCode, 'skuCode')}`;
    case 'customer':
      return required(keys.customerId, 'customerId');
  }
}

function required(value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw DomainError.validation(field, 'is required for this assignment unit');
  return value;
}

/** Problems with an assignment definition (empty when valid), with dotted field paths. */
export function experimentProblems(definition: AssignmentDefinition, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string): void => {
    problems.push({ field: `${prefix}${field}`, message });
  };
  if (definition.salt.length === 0) add('salt', 'must not be empty');
  if (!ASSIGNMENT_UNITS.includes(definition.unit)) add('unit', `must be one of ${ASSIGNMENT_UNITS.join(', ')}`);
  if (definition.variants.length < 2) add('variants', 'needs at least two variants');
  const seen = new Map<string, number>();
  definition.variants.forEach((variant, i) => {
    if (variant.key.length === 0) add(`variants[${i}].key`, 'must not be empty');
    const first = seen.get(variant.key);
    if (first !== undefined) add(`variants[${i}].key`, `duplicates variants[${first}] (${variant.key})`);
    else seen.set(variant.key, i);
    if (!Number.isFinite(variant.weight) || variant.weight < 0 || variant.weight > 1) add(`variants[${i}].weight`, 'must be between 0 and 1');
  });
  const total = definition.variants.reduce((sum, variant) => sum + variant.weight, 0);
  if (definition.variants.length >= 2 && Math.abs(total - 1) > 1e-6) add('variants', `weights must sum to 1 (got ${total})`);
  const coverage = definition.coverage ?? 1;
  if (!Number.isFinite(coverage) || coverage < 0 || coverage > 1) add('coverage', 'must be between 0 and 1');
  if (definition.hashVersion !== undefined && definition.hashVersion !== 1 && definition.hashVersion !== 2) add('hashVersion', 'must be 1 or 2');
  if (definition.namespace) {
    const [id, start, end] = definition.namespace;
    if (id.length === 0) add('namespace[0]', 'must not be empty');
    if (!(start >= 0 && start < end && end <= 1)) add('namespace', 'must satisfy 0 ≤ start < end ≤ 1');
  }
  return problems;
}

/** The GrowthBook bucket ranges of a definition, in variant order. */
export function variantRanges(definition: AssignmentDefinition): BucketRange[] {
  return getBucketRanges(
    definition.variants.length,
    definition.coverage ?? 1,
    definition.variants.map((variant) => variant.weight),
  );
}

/**
 * The variant key of a unit, or null when the unit is outside the namespace or the coverage.
 * Deterministic and pure: the same definition and unit id give the same answer in every process.
 */
export function assignVariant(definition: AssignmentDefinition, unitId: string): string | null {
  if (definition.namespace && !inNamespace(unitId, definition.namespace)) return null;
  const n = hash(definition.salt, unitId, definition.hashVersion ?? 2);
  const index = chooseVariation(n, variantRanges(definition));
  return index < 0 ? null : (definition.variants[index]?.key ?? null);
}

/**
 * A reusable assigner for the hot path: validates once (throws a VALIDATION_FAILED DomainError) and
 * precomputes the ranges.
 */
export function createAssigner(definition: AssignmentDefinition): (unitId: string) => string | null {
  const problems = experimentProblems(definition);
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', 'invalid experiment assignment', problems);
  const ranges = variantRanges(definition);
  const keys = definition.variants.map((variant) => variant.key);
  const version = definition.hashVersion ?? 2;
  return (unitId) => {
    if (definition.namespace && !inNamespace(unitId, definition.namespace)) return null;
    const index = chooseVariation(hash(definition.salt, unitId, version), ranges);
    return index < 0 ? null : (keys[index] ?? null);
  };
}
