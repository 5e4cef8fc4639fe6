import { DomainError } from '@dynaprice/kernel';
import { assertNoProtectedAttributes, normaliseAttributeName } from './protected-attributes';

describe(assertNoProtectedAttributes.name, () => {
  it('refuses protected attributes whatever their spelling, naming each one', () => {
    let error: unknown;
    try {
      assertNoProtectedAttributes(['price_ratio', 'Gender', 'loyalty-tier', 'Income Band']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    expect((error as DomainError).problems.map((p) => p.field)).toEqual(['features.Gender', 'features.loyalty-tier', 'features.Income Band']);
  });

  it('accepts ordinary demand features and takes a configurable list', () => {
    expect(() => assertNoProtectedAttributes(['price_ratio', 'days_to_expiry', 'average_price', 'storage_temp'])).not.toThrow();
    expect(() => assertNoProtectedAttributes(['store_id'], ['Store ID'])).toThrow(/store_id/);
    expect(normaliseAttributeName('  Customer--Segment ')).toBe('customer_segment');
  });
});
