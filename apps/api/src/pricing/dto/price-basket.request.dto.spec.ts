import type { ArgumentMetadata } from '@nestjs/common';
import fc from 'fast-check';
import { createValidationPipe, unsafeInputAt } from '../../common/validation';
import { BasketLineDto, CHANNELS, MAX_BASKET_LINES, PriceBasketRequestDto } from './price-basket.request.dto';

const BODY: ArgumentMetadata = { type: 'body', metatype: PriceBasketRequestDto };
const reference = createValidationPipe({ useAcceptors: false });
const pipe = createValidationPipe();

type Outcome = { accepted: true; value: unknown } | { accepted: false; error: unknown };

async function outcomeOf(transform: Promise<unknown>): Promise<Outcome> {
  try {
    return { accepted: true, value: await transform };
  } catch (error) {
    return { accepted: false, error };
  }
}

/** An optional field: missing, null, or one of the given values. */
function optional(values: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(fc.constant(undefined), fc.constant(null), values);
}

/** Mostly a valid value, sometimes anything: most baskets pass, and each rule is still crossed often. */
function mostly(valid: fc.Arbitrary<unknown>, other: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: other });
}

function withoutMissing(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

const strings = fc.oneof(
  fc.constantFrom('', 'a', 'PRD-001', 'S01', 'gold', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), ' S01', 'S 01', '-S01', 'prd.1_a-B'),
  // Length counts a surrogate pair once (validator.js), so 128 emoji are 256 UTF-16 units and still allowed.
  fc.constantFrom('😀'.repeat(128), '😀'.repeat(129), 'a\uFE0F', 'S01\u0000'),
  fc.string({ maxLength: 70 }),
);
const numbers = fc.oneof(
  fc.constantFrom(0, -1, 0.001, 0.0009, 1, 2.5, 1.234, 1.2345, 1e-9, 100_000, 100_000.001, 1e21, Number.NaN, Number.POSITIVE_INFINITY),
  fc.double({ min: -10, max: 200_000 }),
);
const anything = fc.oneof(strings, numbers, fc.boolean(), fc.constant([]), fc.constant({}), fc.constant(['PRD-001']));

const line = fc
  .record({
    skuCode: mostly(fc.constantFrom('PRD-001', 'SKU.2_b-C', 'a'), optional(anything)),
    quantity: mostly(optional(fc.constantFrom(0.001, 1, 2.5, 1.234, 100_000)), fc.oneof(numbers, fc.constantFrom('2', true))),
    extra: mostly(fc.constant(undefined), anything),
  })
  .map(withoutMissing);

const items = fc.oneof(
  { weight: 12, arbitrary: fc.array(line, { minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom([], Array(MAX_BASKET_LINES).fill({ skuCode: 'PRD-001' }), Array(MAX_BASKET_LINES + 1).fill({ skuCode: 'PRD-001' })) },
  { weight: 1, arbitrary: fc.array(anything, { maxLength: 3 }) },
  { weight: 1, arbitrary: optional(anything) },
);

const basket = fc
  .record({
    storeId: mostly(fc.constantFrom('S01', 'store_2-b'), optional(anything)),
    items,
    customerId: mostly(optional(fc.constantFrom('c-1', 'x'.repeat(128), '😀'.repeat(128))), strings),
    sessionId: mostly(optional(fc.string({ minLength: 1, maxLength: 20 })), fc.oneof(strings, numbers)),
    segment: mostly(optional(fc.constantFrom('gold', 'x'.repeat(64), 'a_b-C')), fc.oneof(strings, fc.constant(7))),
    channel: mostly(optional(fc.constantFrom(...CHANNELS)), fc.constantFrom('web', 'STORE', 1)),
    extra: mostly(fc.constant(undefined), anything),
  })
  .map(withoutMissing);

const bodies = fc.oneof({ weight: 20, arbitrary: basket }, { weight: 1, arbitrary: anything }, { weight: 1, arbitrary: fc.constant(null) });

describe('PriceBasketRequestDto.accept', () => {
  it('accepts exactly the baskets its decorators accept, and builds what class-transformer builds', async () => {
    let acceptedCount = 0;
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        fc.pre(unsafeInputAt(body) === null); // the pipe refuses NUL and deep nesting before either check runs
        const expected = await outcomeOf(reference.transform(body, BODY));
        const accepted = PriceBasketRequestDto.accept(body);
        expect(accepted !== null).toBe(expected.accepted);
        if (accepted !== null && expected.accepted) {
          acceptedCount++;
          expect(accepted).toEqual(expected.value);
          expect(accepted).toBeInstanceOf(PriceBasketRequestDto);
          accepted.items.forEach((item) => expect(item).toBeInstanceOf(BasketLineDto));
        }
      }),
      { numRuns: 3_000 },
    );
    // The generator reaches both sides of the rule, not only refusals.
    expect(acceptedCount).toBeGreaterThan(300);
  });

  it('leaves the pipe’s answer unchanged: the same value, or the same problem naming the same field', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const [fast, slow] = await Promise.all([outcomeOf(pipe.transform(body, BODY)), outcomeOf(reference.transform(body, BODY))]);
        expect(fast).toEqual(slow);
      }),
      { numRuns: 1_000 },
    );
  });

  it('is what the pipe uses for a valid basket', async () => {
    const body = { storeId: 'S01', items: [{ skuCode: 'PRD-001', quantity: 2 }], segment: 'gold', channel: 'online' };
    const spy = jest.spyOn(PriceBasketRequestDto, 'accept');
    try {
      const value = await pipe.transform(body, BODY);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(value).toBe(spy.mock.results[0]?.value);
    } finally {
      spy.mockRestore();
    }
  });

  it('keeps optional fields given as null, as class-transformer does', () => {
    expect(PriceBasketRequestDto.accept({ storeId: 'S01', items: [{ skuCode: 'A', quantity: null }], customerId: null })).toEqual({
      storeId: 'S01',
      items: [{ skuCode: 'A', quantity: null }],
      customerId: null,
    });
  });
});
