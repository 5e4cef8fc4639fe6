import fc from 'fast-check';
import type { FeatureReference } from './reference';
import { LiveFeatureWindow } from './window';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);
const features: FeatureReference[] = [
  { name: 'price', reference: { kind: 'numeric', edges: [1, 2], proportions: [0.3, 0.4, 0.3], missingShare: 0 } },
  { name: 'category', reference: { kind: 'categorical', categories: [0, 1], proportions: [0.5, 0.5], otherShare: 0, missingShare: 0 } },
];
/** `count` rows of (price, category). */
const rows = (count: number, price: number, category: number): Float32Array => {
  const matrix = new Float32Array(count * 2);
  for (let r = 0; r < count; r++) {
    matrix[r * 2] = price;
    matrix[r * 2 + 1] = category;
  }
  return matrix;
};

describe(LiveFeatureWindow.name, () => {
  it('sums the rows of every bucket in the window per feature bin', () => {
    const window = new LiveFeatureWindow(features);
    window.addRows(rows(10, 0.5, 0), T0 + 0.5 * HOUR);
    window.addRows(rows(5, 1.5, 1), T0 + 5 * HOUR);
    window.addRows(Float32Array.of(Number.NaN, 9), T0 + 5 * HOUR);
    expect(window.rows).toBe(16);
    expect(Array.from(window.liveCounts('price'))).toEqual([10, 5, 0, 1]);
    expect(Array.from(window.liveCounts(1))).toEqual([10, 5, 1, 0]);
    expect(window.span).toEqual({ from: T0 - 18 * HOUR, to: T0 + 6 * HOUR });
  });

  it('evicts a bucket once it is 24 hours old', () => {
    const window = new LiveFeatureWindow(features);
    window.addRows(rows(10, 0.5, 0), T0 + 0.5 * HOUR);
    window.addRows(rows(5, 1.5, 1), T0 + 5 * HOUR);
    window.advanceTo(T0 + 23.9 * HOUR);
    expect(window.rows).toBe(15);
    window.advanceTo(T0 + 24 * HOUR);
    expect(window.rows).toBe(5);
    expect(Array.from(window.liveCounts('price'))).toEqual([0, 5, 0, 0]);
    window.addRows(rows(2, 3, 0), T0 + 29 * HOUR);
    expect(Array.from(window.liveCounts('price'))).toEqual([0, 0, 2, 0]);
  });

  it('drops rows older than the window and counts them as late', () => {
    const window = new LiveFeatureWindow(features, { bucketMs: HOUR, buckets: 24 });
    window.advanceTo(T0 + 30 * HOUR);
    expect(window.addRows(rows(4, 0.5, 0), T0 + 6 * HOUR)).toBe(0);
    expect(window.addValue('price', 0.5, T0)).toBe(false);
    expect(window.late).toBe(5);
    expect(window.addRows(rows(3, 0.5, 0), T0 + 7 * HOUR)).toBe(3);
    expect(window.rows).toBe(3);
  });

  it('keeps a late-but-in-window row until its own bucket leaves', () => {
    const window = new LiveFeatureWindow(features, { bucketMs: HOUR, buckets: 3 });
    window.addRows(rows(1, 0.5, 0), T0 + 10 * HOUR);
    window.addRows(rows(1, 1.5, 0), T0 + 8 * HOUR);
    window.advanceTo(T0 + 10.99 * HOUR);
    expect(window.rows).toBe(2);
    window.advanceTo(T0 + 11 * HOUR);
    expect(window.rows).toBe(1);
    expect(Array.from(window.liveCounts('price'))).toEqual([1, 0, 0, 0]);
  });

  it('clears everything after a gap longer than the window', () => {
    const window = new LiveFeatureWindow(features);
    window.addRows(rows(10, 0.5, 0), T0);
    window.advanceTo(T0 + 1000 * HOUR);
    expect(window.rows).toBe(0);
    expect(Array.from(window.liveCounts(0))).toEqual([0, 0, 0, 0]);
  });

  it('holds a fixed amount of memory whatever the traffic', () => {
    const window = new LiveFeatureWindow(features);
    const before = window.memoryBytes;
    for (let h = 0; h < 100; h++) window.addRows(rows(1000, h % 3, h % 2), T0 + h * HOUR);
    expect(window.memoryBytes).toBe(before);
    expect(before).toBe(24 * 8 * 4 + 8 * 8 * 2 + 24 * 8);
  });

  it('counts string categories added value by value', () => {
    const window = new LiveFeatureWindow([{ name: 'dept', reference: { kind: 'categorical', categories: ['dairy', 'fish'], proportions: [0.5, 0.5], otherShare: 0, missingShare: 0 } }]);
    for (const value of ['fish', 'fish', 'meat', null]) window.addValue('dept', value, T0);
    expect(Array.from(window.liveCounts('dept'))).toEqual([0, 2, 1, 1]);
  });

  it('refuses a matrix too short for the rows, an unknown feature and duplicate names', () => {
    const window = new LiveFeatureWindow(features);
    expect(() => window.addRows(new Float32Array(3), T0, 2)).toThrow('rows');
    expect(() => window.liveCounts('nope')).toThrow('unknown feature nope');
    expect(() => new LiveFeatureWindow([features[0]!, features[0]!])).toThrow('duplicates price');
  });

  it('matches a recount of the values still in the window after any sequence of adds', () => {
    const op = fc.record({ hour: fc.integer({ min: 0, max: 60 }), count: fc.integer({ min: 1, max: 4 }), price: fc.constantFrom(0.5, 1.5, 2.5, Number.NaN) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (ops, buckets) => {
        const window = new LiveFeatureWindow(features, { bucketMs: HOUR, buckets });
        const kept: { hour: number; count: number; price: number }[] = [];
        let newest = -Infinity;
        for (const o of ops) {
          const added = window.addRows(rows(o.count, o.price, 0), T0 + o.hour * HOUR + 1);
          newest = Math.max(newest, o.hour);
          const inWindow = o.hour > newest - buckets;
          expect(added).toBe(inWindow ? o.count : 0);
          if (inWindow) kept.push(o);
        }
        const live = kept.filter((o) => o.hour > newest - buckets);
        const expected = [0, 0, 0, 0];
        for (const o of live) expected[Number.isNaN(o.price) ? 3 : o.price < 1 ? 0 : o.price < 2 ? 1 : 2]! += o.count;
        expect(Array.from(window.liveCounts('price'))).toEqual(expected);
        expect(window.rows).toBe(live.reduce((sum, o) => sum + o.count, 0));
      }),
    );
  });
});
