import fc from 'fast-check';
import { uuidv7, uuidv7Time } from './uuid-v7';

describe(uuidv7.name, () => {
  it('round-trips the creation time for any millisecond up to year 10000', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (time) => {
        const id = uuidv7(time);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(uuidv7Time(id)).toBe(time);
      }),
    );
  });

  it('never repeats an id made in the same millisecond, across refills of its random pool', () => {
    const ids = new Set(Array.from({ length: 5_000 }, () => uuidv7(1_700_000_000_000)));
    expect(ids.size).toBe(5_000);
    // The random bits are not all alike: every hex digit of the random tail turns up.
    const tails = [...ids].map((id) => id.slice(24)).join('');
    expect(new Set(tails).size).toBe(16);
  });

  it('sorts by creation time', () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000].map((time) => uuidv7(time));
    expect([...ids].sort()).toEqual(ids);
  });

  it('reads no time from a UUID of another version', () => {
    expect(uuidv7Time('6f1c2f44-62a4-4f57-9a55-0c7a9f3b9d11')).toBeNull();
    expect(uuidv7Time('not-a-uuid')).toBeNull();
  });

  it('reads no time past year 9999 (a hand-made id the database could not look up)', () => {
    expect(uuidv7Time('e677d220-0000-7000-8000-000000000000')).toBeNull();
    expect(uuidv7Time('ffffffff-ffff-7fff-bfff-ffffffffffff')).toBeNull();
    expect(uuidv7Time(uuidv7(253_402_300_799_999))).toBe(253_402_300_799_999);
  });
});
