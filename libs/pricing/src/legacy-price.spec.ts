import { legacyPrice, markdownPct } from './legacy-price';

describe(legacyPrice.name, () => {
  it('takes 30 % off with two days left and 50 % with one', () => {
    expect(legacyPrice(4.99, 5)).toBe(4.99);
    expect(legacyPrice(4.99, 2)).toBe(3.49);
    expect(legacyPrice(4.99, 1)).toBe(2.5);
  });
  it('applies the deepest rung that matches', () => {
    expect(markdownPct(0)).toBe(50);
  });
});
