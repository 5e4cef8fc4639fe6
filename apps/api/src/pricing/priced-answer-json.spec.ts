import fc from 'fast-check';
import { pricedAnswerJson, servedAgainAndAgain } from './priced-answer-json';
import type { PricedLineDto } from './dto/price-basket.response.dto';

const pricedLine: fc.Arbitrary<PricedLineDto> = fc.record({
  skuCode: fc.string(),
  price: fc.double({ noNaN: true }),
  currency: fc.constantFrom('USD', 'EUR'),
  listPrice: fc.double(),
  legacyPrice: fc.double(),
  decisionId: fc.uuid(),
  variant: fc.string(),
  modelVersion: fc.option(fc.string()),
  reason: fc.constantFrom('model', 'legacy', 'override', 'guardrail', 'fallback'),
  boundBy: fc.option(fc.string()),
  expectedUnits: fc.double(),
  expectedMargin: fc.double(),
  validUntil: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  reused: fc.boolean(),
});

/** Answers as the pricing routes build them, some lines shared (frozen) and shared more than once. */
const pricedAnswer = fc
  .record({
    requestId: fc.string(),
    storeId: fc.string(),
    pricedAt: fc.string(),
    lines: fc.array(fc.tuple(pricedLine, fc.boolean()), { maxLength: 30 }),
    repeats: fc.array(fc.nat(), { maxLength: 5 }),
    nextCursor: fc.option(fc.string(), { nil: undefined }),
  })
  .map(({ lines, repeats, nextCursor, ...envelope }) => {
    const items = lines.map(([line, shared]) => (shared ? servedAgainAndAgain(line) : line));
    for (const index of repeats) if (items.length > 0) items.push(items[index % items.length] as PricedLineDto);
    return nextCursor === undefined ? { ...envelope, items } : { ...envelope, items, nextCursor, totalSkus: items.length };
  });

describe(pricedAnswerJson.name, () => {
  it('is JSON.stringify for the pricing answers, the second time too (cached lines; lines not shared may change)', () => {
    fc.assert(
      fc.property(pricedAnswer, (answer) => {
        expect(pricedAnswerJson(answer)).toBe(JSON.stringify(answer));
        for (const line of answer.items) if (!Object.isFrozen(line)) (line as PricedLineDto).price += 1;
        expect(pricedAnswerJson(answer)).toBe(JSON.stringify(answer));
      }),
      { numRuns: 2_000 },
    );
  });

  it('is JSON.stringify for anything else the route may send (problems, odd values)', () => {
    const anything = fc.oneof(
      fc.anything({ withNullPrototype: true, withObjectString: true }),
      fc.record({ items: fc.array(fc.anything()), detail: fc.anything() }, { requiredKeys: [] }),
      fc.dictionary(fc.string(), fc.anything()).map((record) => ({ ...record, items: [undefined, () => 1, Symbol('s'), null, { toJSON: () => 'x' }] })),
    );
    fc.assert(
      fc.property(anything, (value) => {
        let expected: string | undefined;
        try {
          expected = JSON.stringify(value);
        } catch (error) {
          expect(() => pricedAnswerJson(value)).toThrow((error as Error).constructor as new () => Error);
          return;
        }
        expect(pricedAnswerJson(value)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps its own toJSON and an items array that has one', () => {
    const items = Object.assign([servedAgainAndAgain({ skuCode: 'A' } as PricedLineDto)], { toJSON: () => 'replaced' });
    expect(pricedAnswerJson({ storeId: 'S', items })).toBe('{"storeId":"S","items":"replaced"}');
    expect(pricedAnswerJson({ items: [], toJSON: () => ({ other: 1 }) })).toBe('{"other":1}');
  });

  it('serialises a shared line once, however many answers carry it', () => {
    const line = servedAgainAndAgain({ skuCode: 'A', price: 1 } as PricedLineDto);
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      for (let index = 0; index < 5; index++) pricedAnswerJson({ storeId: 'S', items: [line, line] });
      expect(stringify.mock.calls.filter(([value]) => value === line)).toHaveLength(1);
    } finally {
      stringify.mockRestore();
    }
  });
});
