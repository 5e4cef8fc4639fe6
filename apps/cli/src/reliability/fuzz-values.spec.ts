import fc from 'fast-check';
import {
  allStringsHostile,
  applyMutation,
  BOUNDARY_DATES,
  deepValue,
  defineOwn,
  getAt,
  HOSTILE_NUMBERS,
  HOSTILE_STRINGS,
  hostileStringArb,
  hostileValueArb,
  hostileValues,
  jsonPaths,
  livePick,
  mutationArb,
  pool,
  REMOVE,
  setAt,
  unique,
  UNKNOWN_FIELD_NAMES,
  validValueArb,
  type FuzzPools,
  type JsonPath,
  type Mutation,
} from './fuzz-values';
import type { JsonSchema, OpenApiDocument } from './openapi';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;
const SEED = 20260301;

const pools = (ids: Record<string, string[]> = {}): FuzzPools => ({ ids, categories: ['produce', 'bakery'], now: NOW });

/** A sales batch as the API documents it: every field typed, a nested $ref, ranges, enum, pattern. */
const DOC: OpenApiDocument = {
  paths: {},
  components: {
    schemas: {
      SaleEvent: {
        type: 'object',
        required: ['label', 'quantity', 'unitPrice', 'channel', 'soldAt', 'promo', 'tags'],
        additionalProperties: false,
        properties: {
          label: { type: 'string', minLength: 2, maxLength: 8 },
          quantity: { type: 'integer', minimum: 1, maximum: 50 },
          unitPrice: { type: 'number', minimum: 0.01, maximum: 99.99 },
          channel: { type: 'string', enum: ['web', 'store'] },
          soldAt: { type: 'string', format: 'date-time' },
          promo: { type: 'boolean' },
          tags: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'string', pattern: '^[a-z]{3}$' } },
        },
      },
      SalesBatch: {
        type: 'object',
        required: ['events'],
        additionalProperties: false,
        properties: {
          events: { type: 'array', minItems: 1, maxItems: 3, items: { $ref: '#/components/schemas/SaleEvent' } },
          note: { type: 'string', maxLength: 10 },
          validUntil: { type: 'string', format: 'date-time' },
          window: { allOf: [{ $ref: '#/components/schemas/Window' }] },
        },
      },
      Window: { type: 'object', required: ['days'], additionalProperties: false, properties: { days: { type: 'integer', minimum: 1, maximum: 92 } } },
    },
  },
};
const BATCH: JsonSchema = { $ref: '#/components/schemas/SalesBatch' };
const EVENT: JsonSchema = { $ref: '#/components/schemas/SaleEvent' };

/** An independent check of the subset of JSON Schema the documents use: the oracle for "valid" and "invalid". */
function conforms(raw: JsonSchema, value: unknown): boolean {
  const schema = raw.$ref ? (DOC.components?.schemas?.[raw.$ref.replace('#/components/schemas/', '')] ?? {}) : raw.allOf?.length === 1 ? (raw.allOf[0] as JsonSchema) : raw;
  if (schema !== raw) return conforms(schema, value);
  if (schema.enum) return schema.enum.includes(value);
  switch (schema.type) {
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
      const record = value as Record<string, unknown>;
      const properties = schema.properties ?? {};
      if ((schema.required ?? []).some((key) => !Object.prototype.hasOwnProperty.call(record, key))) return false;
      if (schema.additionalProperties === false && Object.keys(record).some((key) => !Object.prototype.hasOwnProperty.call(properties, key))) return false;
      return Object.entries(record).every(([key, child]) => !properties[key] || conforms(properties[key], child));
    }
    case 'array':
      return (
        Array.isArray(value) &&
        value.length >= (schema.minItems ?? 0) &&
        value.length <= (schema.maxItems ?? Infinity) &&
        value.every((item) => conforms(schema.items ?? {}, item))
      );
    case 'integer':
    case 'number':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (schema.type === 'number' || Number.isInteger(value)) &&
        value >= (schema.minimum ?? -Infinity) &&
        value <= (schema.maximum ?? Infinity)
      );
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      if (typeof value !== 'string') return false;
      if (value.length < (schema.minLength ?? 0) || value.length > (schema.maxLength ?? Infinity)) return false;
      if (schema.pattern && !new RegExp(schema.pattern).test(value)) return false;
      if (schema.format === 'date-time' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) return false;
      return true;
    default:
      return true;
  }
}

const typeOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

describe(validValueArb.name, () => {
  it('generates values that conform to the schema: types, ranges, lengths, enums, patterns, required fields, no unknown ones (property)', () => {
    fc.assert(
      fc.property(validValueArb(DOC, BATCH, 'body', pools()), (value) => {
        expect(conforms(BATCH, value)).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('dates event times in the last 20 days and expiries in the next 20 days of the API clock', () => {
    const batches = fc.sample(validValueArb(DOC, BATCH, 'body', pools()), { seed: SEED, numRuns: 200 }) as Array<{ events: Array<{ soldAt: string }>; validUntil?: string }>;
    const soldAt = batches.flatMap((batch) => batch.events.map((event) => Date.parse(event.soldAt)));
    const until = batches.flatMap((batch) => (batch.validUntil ? [Date.parse(batch.validUntil)] : []));
    expect(until.length).toBeGreaterThan(0);
    for (const at of soldAt) expect(at >= NOW - 20 * DAY && at < NOW).toBe(true);
    for (const at of until) expect(at > NOW && at <= NOW + 20 * DAY).toBe(true);
  });

  it('leaves optional fields out sometimes and puts them in sometimes', () => {
    const batches = fc.sample(validValueArb(DOC, BATCH, 'body', pools()), { seed: SEED, numRuns: 200 }) as Array<Record<string, unknown>>;
    const withNote = batches.filter((batch) => 'note' in batch).length;
    expect(withNote).toBeGreaterThan(0);
    expect(withNote).toBeLessThan(batches.length);
  });

  it('is reproducible: the same seed generates the same values', () => {
    const arb = validValueArb(DOC, BATCH, 'body', pools());
    expect(fc.sample(arb, { seed: SEED, numRuns: 30 })).toEqual(fc.sample(validValueArb(DOC, BATCH, 'body', pools()), { seed: SEED, numRuns: 30 }));
  });

  it('formats a date as YYYY-MM-DD', () => {
    for (const value of fc.sample(validValueArb(DOC, { type: 'string', format: 'date' }, 'day', pools()), { seed: SEED, numRuns: 50 })) expect(value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('gives integers to a number whose name says it counts (limit, days, …)', () => {
    for (const value of fc.sample(validValueArb(DOC, { type: 'number', minimum: 1, maximum: 50 }, 'limit', pools()), { seed: SEED, numRuns: 100 })) expect(Number.isInteger(value)).toBe(true);
  });

  it('prefers the documented example of a number', () => {
    const values = fc.sample(validValueArb(DOC, { type: 'number', minimum: 1, maximum: 1_000, example: 4.99 }, 'price', pools()), { seed: SEED, numRuns: 200 });
    expect(values.filter((value) => value === 4.99).length).toBeGreaterThan(100);
  });

  it('draws store ids and SKU codes (also in storeIds / skuCodes arrays) from the live pools, with a few unknown ones', () => {
    const ids = { stores: ['S07', 'S08'], skus: ['MLK-1'] };
    const stores = fc.sample(validValueArb(DOC, { type: 'array', items: { type: 'string' }, minItems: 1 }, 'storeIds', pools(ids)), { seed: SEED, numRuns: 200 }).flat() as string[];
    const skus = fc.sample(validValueArb(DOC, { type: 'string' }, 'skuCode', pools(ids)), { seed: SEED, numRuns: 200 }) as string[];
    expect(new Set(stores)).toEqual(new Set(['S07', 'S08', 'S01', 'S99', 'RL1']));
    expect(stores.filter((id) => id === 'S07' || id === 'S08').length).toBeGreaterThan(stores.length / 2);
    expect(skus.filter((code) => code === 'MLK-1').length).toBeGreaterThan(skus.length / 2);
    expect(skus.every((code) => ['MLK-1', 'PRD-001', 'PRD-999', 'RL-NEW'].includes(code))).toBe(true);
  });

  it('never repeats an idempotency key, even for the same seed', () => {
    const arb = validValueArb(DOC, { type: 'string' }, 'idempotencyKey', pools());
    const keys = [...fc.sample(arb, { seed: SEED, numRuns: 300 }), ...fc.sample(arb, { seed: SEED, numRuns: 300 })];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('stops at depth 8 with null (a self-referencing schema)', () => {
    const doc: OpenApiDocument = { paths: {}, components: { schemas: { Node: { type: 'object', required: ['child'], properties: { child: { $ref: '#/components/schemas/Node' } } } } } };
    const [value] = fc.sample(validValueArb(doc, { $ref: '#/components/schemas/Node' }, 'node', pools()), { seed: SEED, numRuns: 1 });
    let depth = 0;
    let node = value as { child?: unknown } | null;
    while (node && typeof node === 'object') {
      node = node.child as { child?: unknown } | null;
      depth++;
    }
    expect(node).toBeNull();
    expect(depth).toBe(9);
  });
});

describe('invalid values made from valid ones', () => {
  const mutate = (kind: 'wrong-type' | 'remove') =>
    fc.tuple(validValueArb(DOC, BATCH, 'body', pools()), fc.nat()).map(([valid, at]) => ({ valid, at, mutated: applyMutation(valid, { kind, at }) }));

  it('a wrong-type mutation always breaks the schema the value came from, by changing the JSON type at one position (property)', () => {
    fc.assert(
      fc.property(mutate('wrong-type'), ({ valid, at, mutated }) => {
        const paths = jsonPaths(valid);
        const path = paths[at % paths.length] as JsonPath;
        expect(typeOf(getAt(mutated, path))).not.toBe(typeOf(getAt(valid, path)));
        expect(conforms(BATCH, mutated)).toBe(false);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('removing any field or item of an event whose fields are all required breaks its schema (property)', () => {
    const single: JsonSchema = { ...(DOC.components?.schemas?.['SaleEvent'] as JsonSchema), properties: { ...DOC.components?.schemas?.['SaleEvent']?.properties, tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 1 } } };
    fc.assert(
      fc.property(validValueArb(DOC, single, 'event', pools()), fc.integer({ min: 1, max: 1_000 }), (valid, at) => {
        const paths = jsonPaths(valid);
        fc.pre(at % paths.length !== 0);
        expect(conforms(single, applyMutation(valid, { kind: 'remove', at }))).toBe(false);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('removing the root leaves the value as it is', () => {
    const value = { a: 1 };
    expect(applyMutation(value, { kind: 'remove', at: 0 })).toBe(value);
  });

  it('a hostile-string mutation puts the payload at a string position when there is one (property)', () => {
    fc.assert(
      fc.property(validValueArb(DOC, EVENT, 'event', pools()), fc.nat(), hostileStringArb, (valid, at, payload) => {
        const mutated = applyMutation(valid, { kind: 'hostile-string', at, value: payload });
        const leaves = jsonPaths(valid).filter((path) => typeOf(getAt(valid, path)) !== 'object' && typeOf(getAt(valid, path)) !== 'array');
        const changed = leaves.filter((path) => getAt(mutated, path) !== getAt(valid, path));
        expect(jsonPaths(mutated)).toEqual(jsonPaths(valid));
        expect(changed.length).toBeLessThanOrEqual(1);
        for (const path of changed) expect(typeof getAt(valid, path)).toBe('string');
        expect(leaves.some((path) => typeof getAt(valid, path) === 'string' && getAt(mutated, path) === payload)).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('a boundary-number mutation puts the number at a number position when there is one', () => {
    const mutated = applyMutation({ name: 'x', quantity: 3, nested: { price: 1.5 } }, { kind: 'boundary-number', at: 1, value: Number.MAX_VALUE });
    expect(mutated).toEqual({ name: 'x', quantity: 3, nested: { price: Number.MAX_VALUE } });
    expect(applyMutation({ name: 'x' }, { kind: 'boundary-number', at: 1, value: -1 })).toEqual({ name: -1 });
  });

  it('an unknown-field mutation adds the field as an own property, __proto__ included, without polluting prototypes', () => {
    const value = { events: [{ quantity: 1 }] };
    const mutated = applyMutation(value, { kind: 'unknown-field', at: 1, key: '__proto__', value: { isAdmin: true } }) as { events: Array<Record<string, unknown>> };
    expect(JSON.stringify(mutated)).toBe('{"events":[{"quantity":1,"__proto__":{"isAdmin":true}}]}');
    expect(Object.getPrototypeOf(mutated.events[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    expect(applyMutation([1, 2], { kind: 'unknown-field', at: 0, key: 'role', value: 'admin' })).toEqual([1, 2]);
  });

  it('never changes the value it mutates (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), mutationArb, (value, mutation: Mutation) => {
        const before = JSON.stringify(value);
        applyMutation(value, mutation);
        expect(JSON.stringify(value)).toBe(before);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('hostile inputs', () => {
  it('offer SQL injection, script, template and path-traversal payloads', () => {
    const all = HOSTILE_STRINGS.join('\n');
    for (const pattern of [/' OR '1'='1/, /DROP TABLE/, /UNION SELECT/, /pg_sleep/, /<script>/, /onerror=/, /\$\{7\*7\}/, /\.\.\/\.\.\//, /\r\nSet-Cookie/]) expect(all).toMatch(pattern);
  });

  it('offer control characters, a lone surrogate, right-to-left override, combining marks and emoji', () => {
    expect(HOSTILE_STRINGS).toEqual(expect.arrayContaining(['\u0000', 'a\u0000b', '\ud800', '\u202eevil', '\u200b', 'e\u0301', '🍌🥖🥛', '', ' ']));
  });

  it('offer numbers-that-are-not-numbers as strings, and strings longer than a varchar(255)', () => {
    expect(HOSTILE_STRINGS).toEqual(expect.arrayContaining(['NaN', 'Infinity', '-Infinity', '1e999']));
    expect(Math.max(...HOSTILE_STRINGS.map((text) => text.length))).toBeGreaterThanOrEqual(20_000);
    expect(HOSTILE_STRINGS.some((text) => text.length > 255 && text.length < 1_000)).toBe(true);
  });

  it('offer only numbers JSON can carry, at every edge: zero, negative zero, tiny, non-integer, 32-bit and 53-bit overflows, the largest double', () => {
    for (const value of HOSTILE_NUMBERS) expect(JSON.parse(JSON.stringify(value))).toBe(value === 0 ? 0 : value);
    expect(HOSTILE_NUMBERS.some((value) => Object.is(value, -0))).toBe(true);
    expect(HOSTILE_NUMBERS).toEqual(expect.arrayContaining([-1, 5e-324, 2 ** 31, 2 ** 53 + 1, 1e308, Number.MAX_VALUE]));
    expect(HOSTILE_NUMBERS.some((value) => !Number.isInteger(value))).toBe(true);
  });

  it('generate only listed payloads, and all of them with enough draws', () => {
    const strings = fc.sample(hostileStringArb, { seed: SEED, numRuns: 3_000 });
    expect(new Set(strings)).toEqual(new Set(HOSTILE_STRINGS));
  });

  it('mix wrong shapes into hostile values: null, booleans, containers, 200-deep nesting, a 2,000-item array', () => {
    const values = hostileValues();
    expect(values).toEqual(expect.arrayContaining([null, true, false, [], {}]));
    expect(values).toContainEqual(deepValue(200, 'array'));
    expect(values.some((value) => Array.isArray(value) && value.length === 2_000)).toBe(true);
    const drawn = fc.sample(hostileValueArb, { seed: SEED, numRuns: 500 });
    expect(drawn.some((value) => typeof value === 'string')).toBe(true);
    expect(drawn.some((value) => typeof value === 'number')).toBe(true);
    expect(drawn.some((value) => value === null)).toBe(true);
  });

  it('include impossible and edge date-times', () => {
    expect(BOUNDARY_DATES.filter((date) => Number.isNaN(Date.parse(date)))).toEqual(expect.arrayContaining(['2026-13-01T00:00:00Z']));
    expect(BOUNDARY_DATES).toEqual(expect.arrayContaining(['1970-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z']));
  });

  it('offer unknown field names that probe privileges and prototypes', () => {
    expect(UNKNOWN_FIELD_NAMES).toEqual(expect.arrayContaining(['isAdmin', 'role', '__proto__', 'constructor']));
  });
});

describe(deepValue.name, () => {
  it('nests to the depth asked', () => {
    expect(deepValue(3, 'array')).toEqual([[[1]]]);
    expect(deepValue(2, 'object')).toEqual({ a: { a: 1 } });
    expect(deepValue(0, 'object')).toBe(1);
  });
});

describe(allStringsHostile.name, () => {
  it('replaces every string, cycling through the payloads from the index, and keeps everything else', () => {
    const value = { a: 'x', b: [1, 'y', null, true], c: { d: 'z' } };
    expect(allStringsHostile(value, 1)).toEqual({ a: HOSTILE_STRINGS[1], b: [1, HOSTILE_STRINGS[2], null, true], c: { d: HOSTILE_STRINGS[3] } });
    expect(allStringsHostile('s', HOSTILE_STRINGS.length)).toBe(HOSTILE_STRINGS[0]);
  });

  it('keeps the shape and leaves no original string (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.nat({ max: 1_000 }), (value, index) => {
        const hostile = allStringsHostile(value, index);
        const paths = jsonPaths(value);
        expect(jsonPaths(hostile).map((path) => path.join('/'))).toEqual(paths.map((path) => path.join('/')));
        for (const path of paths) {
          const before = getAt(value, path);
          const after = getAt(hostile, path);
          if (typeof before === 'string') expect(HOSTILE_STRINGS).toContain(after);
          else if (before === null || typeof before !== 'object') expect(after).toBe(before);
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('JSON positions', () => {
  it('jsonPaths lists every position, containers included, root first', () => {
    expect(jsonPaths({ a: [1, { b: 2 }], c: 'x' })).toEqual([[], ['a'], ['a', 0], ['a', 1], ['a', 1, 'b'], ['c']]);
    expect(jsonPaths(7)).toEqual([[]]);
  });

  it('jsonPaths looks at the first 50 items of an array and stops at the limit', () => {
    expect(jsonPaths(new Array(80).fill(0))).toHaveLength(51);
    expect(jsonPaths(deepValue(5_000, 'array'))).toHaveLength(2_000);
    expect(jsonPaths({ a: 1, b: 2, c: 3 }, 2)).toEqual([[], ['a']]);
  });

  it('setAt writes a copy where getAt then reads the new value, leaving the original alone (property)', () => {
    const withPath = fc.jsonValue({ maxDepth: 4 }).chain((value) => fc.tuple(fc.constant(value), fc.constantFrom(...jsonPaths(value))));
    fc.assert(
      fc.property(withPath, fc.jsonValue({ maxDepth: 1 }), ([value, path], replacement) => {
        const before = JSON.stringify(value);
        const written = setAt(value, path, replacement);
        expect(getAt(written, path)).toBe(replacement);
        expect(JSON.stringify(value)).toBe(before);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('setAt with REMOVE deletes an object key, splices an array item, and empties the root', () => {
    expect(setAt({ a: 1, b: { c: 2, d: 3 } }, ['b', 'c'], REMOVE)).toEqual({ a: 1, b: { d: 3 } });
    expect(setAt({ list: [1, 2, 3] }, ['list', 1], REMOVE)).toEqual({ list: [1, 3] });
    expect(setAt({ a: 1 }, [], REMOVE)).toBeUndefined();
  });

  it('defineOwn sets __proto__ as an own, enumerable property', () => {
    const target: Record<string, unknown> = {};
    defineOwn(target, '__proto__', { polluted: true });
    expect(Object.keys(target)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('pools', () => {
  it('pool registers an empty pool for an unknown collection and returns the same array afterwards', () => {
    const fuzzPools = pools();
    const created = pool(fuzzPools, 'experiments');
    expect(created).toEqual([]);
    expect(fuzzPools.ids['experiments']).toBe(created);
    created.push('e1');
    expect(pool(fuzzPools, 'experiments')).toEqual(['e1']);
  });

  it('livePick reads the pool as it is when the value is generated, the fallback while it is empty', () => {
    const values: string[] = [];
    const arb = livePick(values, fc.constant('fallback'));
    expect(new Set(fc.sample(arb, { seed: SEED, numRuns: 20 }))).toEqual(new Set(['fallback']));
    values.push('x1', 'x2');
    expect(new Set(fc.sample(arb, { seed: SEED, numRuns: 50 }))).toEqual(new Set(['x1', 'x2']));
  });

  it('unique never returns the same value twice', () => {
    const values = Array.from({ length: 1_000 }, () => unique('rl-'));
    expect(new Set(values).size).toBe(1_000);
    expect(values.every((value) => value.startsWith('rl-'))).toBe(true);
  });
});
