import { DomainError } from '@dynaprice/kernel';

/**
 * Attributes of a person that a price must never depend on (fairness). Training refuses a feature
 * whose normalised name (lower case, runs of non-alphanumerics → `_`) equals one of these.
 */
export const DEFAULT_PROTECTED_ATTRIBUTES: readonly string[] = [
  'age',
  'age_band',
  'age_group',
  'date_of_birth',
  'birth_year',
  'gender',
  'sex',
  'ethnicity',
  'race',
  'religion',
  'nationality',
  'disability',
  'marital_status',
  'sexual_orientation',
  'loyalty_tier',
  'customer_segment',
  'income',
  'income_band',
  'customer_id',
];

export function normaliseAttributeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Throws a VALIDATION_FAILED DomainError naming every protected attribute among `featureNames`. */
export function assertNoProtectedAttributes(featureNames: readonly string[], protectedAttributes: readonly string[] = DEFAULT_PROTECTED_ATTRIBUTES): void {
  const banned = new Set(protectedAttributes.map(normaliseAttributeName));
  const offending = featureNames.filter((name) => banned.has(normaliseAttributeName(name)));
  if (offending.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `protected attribute${offending.length > 1 ? 's' : ''} ${offending.map((n) => JSON.stringify(n)).join(', ')} cannot be used as features`,
      offending.map((field) => ({ field: `features.${field}`, message: 'is a protected attribute' })),
    );
  }
}
