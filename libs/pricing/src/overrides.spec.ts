import { DomainError } from '@dynaprice/kernel';
import { activeOverride, isOverrideActive, validateOverride } from './overrides';
import { override } from './testing/fixtures';

const JAN_1 = Date.UTC(2030, 0, 1);
const JAN_8 = Date.UTC(2030, 0, 8);

describe(activeOverride.name, () => {
  it('applies from startsAt inclusive to endsAt exclusive', () => {
    const o = override({ startsAt: JAN_1, endsAt: JAN_8 });
    expect(activeOverride([o], 'S1', 'BREAD', JAN_1 - 1)).toBeNull();
    expect(activeOverride([o], 'S1', 'BREAD', JAN_1)).toBe(o);
    expect(activeOverride([o], 'S1', 'BREAD', JAN_8 - 1)).toBe(o);
    expect(activeOverride([o], 'S1', 'BREAD', JAN_8)).toBeNull();
  });

  it('accepts Date bounds as well as epoch milliseconds', () => {
    const o = override({ startsAt: new Date(JAN_1), endsAt: new Date(JAN_8) });
    expect(activeOverride([o], 'S1', 'BREAD', new Date(JAN_1 + 1000))).toBe(o);
  });

  it('ignores other SKUs and other stores', () => {
    expect(activeOverride([override({ skuCode: 'MILK' }), override({ storeId: 'S2' })], 'S1', 'BREAD', JAN_1)).toBeNull();
  });

  it('prefers the store-specific override to a chain-wide one, even an older one', () => {
    const chain = override({ id: 'chain', storeId: null, createdAt: JAN_1 - 1000 });
    const store = override({ id: 'store', storeId: 'S1', createdAt: JAN_1 - 9000 });
    expect(activeOverride([chain, store], 'S1', 'BREAD', JAN_1)?.id).toBe('store');
    expect(activeOverride([store, chain], 'S1', 'BREAD', JAN_1)?.id).toBe('store');
    expect(activeOverride([store, chain], 'S2', 'BREAD', JAN_1)?.id).toBe('chain');
  });

  it('takes the latest created among overrides of the same scope, then the greater id', () => {
    const older = override({ id: 'a', createdAt: JAN_1 - 5000 });
    const newer = override({ id: 'b', createdAt: JAN_1 - 1000 });
    expect(activeOverride([newer, older], 'S1', 'BREAD', JAN_1)?.id).toBe('b');
    expect(activeOverride([older, newer], 'S1', 'BREAD', JAN_1)?.id).toBe('b');
    const twin = override({ id: 'c', createdAt: JAN_1 - 1000 });
    expect(activeOverride([twin, newer], 'S1', 'BREAD', JAN_1)?.id).toBe('c');
  });

  it('skips a cancelled override from its cancellation on, letting the next one apply', () => {
    const cancelled = override({ id: 'late', createdAt: JAN_1 - 10, cancelledAt: JAN_1 + 3600_000 });
    const standing = override({ id: 'early', createdAt: JAN_1 - 5000 });
    expect(activeOverride([cancelled, standing], 'S1', 'BREAD', JAN_1)?.id).toBe('late');
    expect(activeOverride([cancelled, standing], 'S1', 'BREAD', JAN_1 + 3600_000)?.id).toBe('early');
    expect(isOverrideActive(cancelled, JAN_1 + 3600_000)).toBe(false);
  });
});

describe(validateOverride.name, () => {
  it.each([
    [{ price: 0 }, 'price'],
    [{ price: 2.005 }, 'price'],
    [{ endsAt: JAN_1 }, 'endsAt'],
    [{ reason: '  ' }, 'reason'],
  ])('rejects %j, naming %s', (changes, field) => {
    expect(() => validateOverride(override(changes), 'override.')).toThrow(DomainError);
    try {
      validateOverride(override(changes), 'override.');
    } catch (error) {
      expect((error as DomainError).field).toBe(`override.${field}`);
    }
  });

  it('accepts a well-formed override', () => {
    expect(() => validateOverride(override())).not.toThrow();
  });
});
