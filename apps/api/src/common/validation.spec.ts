import fc from 'fast-check';
import { DomainError } from '@dynaprice/kernel';
import { IsString, Max, Min } from 'class-validator';
import { IsNumber } from './is-number';
import { createValidationPipe, MAX_INPUT_DEPTH, unsafeInputAt } from './validation';

class NamedDto {
  @IsString()
  name!: string;
}

class CountDto {
  @IsNumber()
  @Min(1)
  @Max(10)
  count!: number;
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

describe(unsafeInputAt.name, () => {
  it('names where a value nests past the limit, and nothing for shallow values', () => {
    expect(unsafeInputAt({ items: [{ skuCode: 'PRD-001' }] })).toBeNull();
    expect(unsafeInputAt(nested(MAX_INPUT_DEPTH))).toBeNull();
    expect(unsafeInputAt(nested(MAX_INPUT_DEPTH + 1))?.field).toMatch(/^a(\.a)+$/);
    expect(unsafeInputAt({ items: [[[1]]] }, 2)).toEqual({ field: 'items[0]', message: 'is nested more than 2 levels deep' });
  });

  it('checks a value nested 100,000 deep without overflowing the stack', () => {
    let deep: unknown = [];
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(unsafeInputAt(deep)).not.toBeNull();
  });

  it('finds a NUL character in any string, which PostgreSQL text cannot hold', () => {
    expect(unsafeInputAt({ events: [{ storeId: 'S01' }, { storeId: 'S01\u0000' }] })).toEqual({ field: 'events[1].storeId', message: 'must not contain the NUL character (U+0000)' });
    expect(unsafeInputAt('a\u0000b')?.field).toBe('');
    expect(unsafeInputAt({ name: 'a\u0001b ☃' })).toBeNull();
  });

  it('finds a NUL string or an over-deep value exactly when there is one, and names where it is', () => {
    const valueAt = (root: unknown, field: string): unknown =>
      field === '' ? root : field.split(/\.|(?=\[)/).reduce<unknown>((node, part) => (node as Record<string, unknown>)[part.startsWith('[') ? part.slice(1, -1) : part], root);
    const depthOf = (node: unknown): number => (node !== null && typeof node === 'object' ? 1 + Math.max(0, ...Object.values(node).map(depthOf)) : 0);
    const hasNul = (node: unknown): boolean => (typeof node === 'string' ? node.includes('\u0000') : node !== null && typeof node === 'object' && Object.values(node).some(hasNul));
    const text = fc.oneof(fc.string(), fc.constantFrom('\u0000', 'a\u0000', 'S01'));
    const key = fc.oneof(fc.string({ minLength: 1, maxLength: 3 }).filter((name) => !/[.[]/.test(name) && name !== '__proto__'), fc.constantFrom('items', 'skuCode'));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.constant(null), fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(key, tie('tree'), { maxKeys: 3 })),
    }));
    fc.assert(
      fc.property(tree, fc.integer({ min: 1, max: 5 }), (value, limit) => {
        const problem = unsafeInputAt(value, limit);
        if (problem === null) {
          expect(hasNul(value)).toBe(false);
          expect(depthOf(value)).toBeLessThanOrEqual(limit);
        } else if (problem.message.startsWith('must not contain')) {
          expect(String(valueAt(value, problem.field))).toContain('\u0000');
        } else {
          expect(problem.field.split(/\.|(?=\[)/).filter(Boolean).length).toBe(limit);
          expect(depthOf(valueAt(value, problem.field))).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe(createValidationPipe.name, () => {
  it('refuses a body nested 10,000 deep with a validation problem, not a stack overflow', async () => {
    const pipe = createValidationPipe();
    const body = { name: 'x', extra: nested(10_000) };
    const refused = await pipe.transform(body, { type: 'body', metatype: NamedDto }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('VALIDATION_FAILED');
    expect((refused as DomainError).message).toMatch(/^extra\.a\.a.*nested more than 32 levels deep/);
  });

  it('refuses a NUL character in a path parameter, naming the parameter', async () => {
    const refused = await createValidationPipe().transform('a\u0000b', { type: 'param', data: 'code', metatype: String }).catch((error: unknown) => error);
    expect((refused as DomainError).problems).toEqual([{ field: 'code', message: 'must not contain the NUL character (U+0000)' }]);
  });

  it('names what kind of value a field must be before its other rules', async () => {
    const refused = await createValidationPipe()
      .transform({ count: 'two' }, { type: 'body', metatype: CountDto })
      .catch((error: unknown) => error);
    expect((refused as DomainError).message).toBe('count: must be a number conforming to the specified constraints (and 2 more)');
    expect((refused as DomainError).problems.map((problem) => problem.message)).toEqual([
      'must be a number conforming to the specified constraints',
      'must not be greater than 10',
      'must not be less than 1',
    ]);
  });

  it('still validates ordinary bodies', async () => {
    const pipe = createValidationPipe();
    await expect(pipe.transform({ name: 'x' }, { type: 'body', metatype: NamedDto })).resolves.toEqual({ name: 'x' });
    await expect(pipe.transform({ name: 1 }, { type: 'body', metatype: NamedDto })).rejects.toBeInstanceOf(DomainError);
  });
});
