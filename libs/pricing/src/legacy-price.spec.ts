import { DEFAULT_MARKDOWN_LADDER, legacyPrice, markdownPct, validateMarkdownLadder } from './legacy-price';

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

describe(validateMarkdownLadder.name, () => {
  it('names the offending rung', () => {
    expect(() => validateMarkdownLadder([{ daysToExpiry: 2, discountPct: 30 }, { daysToExpiry: 1, discountPct: 100 }])).toThrow('markdownLadder[1].discountPct');
    expect(() => validateMarkdownLadder([{ daysToExpiry: 1.5, discountPct: 10 }])).toThrow('markdownLadder[0].daysToExpiry');
    expect(() => validateMarkdownLadder(DEFAULT_MARKDOWN_LADDER)).not.toThrow();
  });
});

describe('legacy ladder', () => {
  it('leaves the list price alone with more days left than any rung', () => {
    expect(markdownPct(3)).toBe(0);
    expect(legacyPrice(4.99, 30)).toBe(4.99);
  });

  it('follows a configured ladder, whatever the order of its rungs', () => {
    const ladder = [
      { daysToExpiry: 1, discountPct: 60 },
      { daysToExpiry: 3, discountPct: 20 },
    ];
    expect(legacyPrice(10, 3, ladder)).toBe(8);
    expect(legacyPrice(10, 2, ladder)).toBe(8);
    expect(legacyPrice(10, 1, ladder)).toBe(4);
    expect(legacyPrice(10, 4, ladder)).toBe(10);
  });
});
