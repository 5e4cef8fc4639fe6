import fc from 'fast-check';
import { percentile } from './percentile';

describe(percentile.name, () => {
  it('takes the nearest rank: p50 of 1..10 is 5, p99 is 10, p0 is the minimum', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(values, 0.5)).toBe(5);
    expect(percentile(values, 0.99)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([], 0.99)).toBe(0);
  });

  it('is an observed value, with at least a share q of the values at or below it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (raw, q) => {
        const sorted = [...raw].sort((a, b) => a - b);
        const value = percentile(sorted, q);
        expect(sorted).toContain(value);
        expect(sorted.filter((v) => v <= value).length).toBeGreaterThanOrEqual(q * sorted.length);
      }),
    );
  });
});
