import fc from 'fast-check';
import { holmAdjust } from './holm';

describe(holmAdjust.name, () => {
  it('matches R: p.adjust(c(0.01, 0.04, 0.03, 0.005), method = "holm") = 0.03 0.06 0.06 0.02', () => {
    // By hand: sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.06, 0.04·1) = 0.06.
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((expected, i) => expect(adjusted[i]).toBeCloseTo(expected, 15));
  });

  it('matches R: p.adjust(c(0.2, 0.6, 0.01), method = "holm") = 0.4 0.6 0.03', () => {
    const adjusted = holmAdjust([0.2, 0.6, 0.01]);
    [0.4, 0.6, 0.03].forEach((expected, i) => expect(adjusted[i]).toBeCloseTo(expected, 15));
  });

  const pValues = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 });

  it('never goes below the raw p-value nor above 1', () => {
    fc.assert(fc.property(pValues, (ps) => holmAdjust(ps).every((adjusted, i) => adjusted >= (ps[i] as number) && adjusted <= 1)));
  });

  it('keeps the order of the raw p-values and multiplies the smallest by m', () => {
    fc.assert(
      fc.property(pValues, (ps) => {
        const adjusted = holmAdjust(ps);
        const orderKept = ps.every((p, i) => ps.every((q, j) => !(p < q) || (adjusted[i] as number) <= (adjusted[j] as number)));
        const smallest = Math.min(...ps);
        return orderKept && Math.min(...adjusted) === Math.min(1, ps.length * smallest);
      }),
    );
  });

  it('refuses values that are not probabilities', () => {
    expect(() => holmAdjust([0.2, 1.2])).toThrow(RangeError);
  });
});
