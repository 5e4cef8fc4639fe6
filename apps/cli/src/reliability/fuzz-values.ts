import fc from 'fast-check';
import { resolveSchema, type JsonSchema, type OpenApiDocument } from './openapi';

/** Real identifiers of the running API (collected before fuzzing), so that valid requests reach the handlers. */
export interface FuzzPools {
  /** By the collection a path parameter belongs to: `stores`, `skus`, `inventory`, `experiments`, … */
  ids: Record<string, string[]>;
  categories: string[];
  /** The API's clock (ms): dates are generated around it. */
  now: number;
}

const DAY_MS = 86_400_000;

/** Injection and script payloads, control characters, encodings: every string field gets these. */
export const HOSTILE_STRINGS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE sales; --",
  "1; SELECT pg_sleep(5)--",
  "' UNION SELECT NULL, version()--",
  "'||(SELECT current_user)||'",
  '" OR ""="',
  "%' OR 1=1 --",
  '$1',
  '\\',
  "\\'",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(document.cookie)',
  '{{7*7}}',
  '${7*7}',
  '{"$gt": ""}',
  '\u0000',
  'S01\u0000',
  'a\u0000b',
  '\ud800',
  '\u202eevil',
  '\u200b',
  '\r\nSet-Cookie: x=1',
  '../../../../etc/passwd',
  '%00',
  '%s%s%s%n',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '🍌🥖🥛',
  'e\u0301',
  ' ',
  '',
  'x'.repeat(257),
  'y'.repeat(20_000),
  '2026-02-30T25:61:61Z',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
];

/** Numbers at and beyond every edge a column or a calculation can have. */
export const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  0.001,
  0.0001,
  1e-9,
  5e-324,
  1.23456789,
  0.1 + 0.2,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 1,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  1e15,
  1e21,
  1e308,
  -1e308,
  Number.MAX_VALUE,
];

/** Deeply nested JSON (arrays or objects), as a value. */
export function deepValue(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** Values of the wrong shape for any field. */
export function hostileValues(): readonly unknown[] {
  return [null, true, false, [], {}, [[]], [null], { a: 1 }, 'string', ...HOSTILE_NUMBERS.slice(0, 6), 1e308, deepValue(200, 'array'), deepValue(200, 'object'), new Array(2_000).fill(0)];
}

export const hostileStringArb = fc.constantFrom(...HOSTILE_STRINGS);
export const hostileNumberArb = fc.constantFrom(...HOSTILE_NUMBERS);
export const hostileValueArb: fc.Arbitrary<unknown> = fc.oneof(hostileStringArb, hostileNumberArb, fc.constantFrom(...hostileValues()));

/** Dates around now: mostly recent past, some in the near future. */
function dateTimeArb(pools: FuzzPools, name: string): fc.Arbitrary<string> {
  const future = /expires|ends|until|to$/i.test(name);
  const min = future ? pools.now + 60_000 : pools.now - 20 * DAY_MS;
  const max = future ? pools.now + 20 * DAY_MS : pools.now - 1_000;
  return fc.integer({ min, max }).map((ms) => new Date(ms).toISOString());
}

/** Boundary date-times: epoch, year 9999, the end of the JS date range, impossible calendar dates. */
export const BOUNDARY_DATES: readonly string[] = [
  '1970-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '2026-02-29T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-01-01',
  '2026-01-01T00:00:00',
  '2026-01-01T00:00:00+14:00',
  '2026-01-01T00:00:00.123456789Z',
];

/** The live pool of a collection (the fuzzer adds the ids of rows it creates, so later requests use them). */
export function pool(pools: FuzzPools, key: string): string[] {
  const values = pools.ids[key];
  if (values) return values;
  const created: string[] = [];
  pools.ids[key] = created;
  return created;
}

/** An element of a pool as it is when the value is generated, or the fallback while it is empty. */
export function livePick(values: readonly string[], fallback: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(fc.nat(), fallback).map(([index, other]) => (values.length > 0 ? (values[index % values.length] as string) : other));
}

function fromPoolOr(values: readonly string[], fallback: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: livePick(values, fallback) }, { weight: 1, arbitrary: fallback });
}

let uniqueCounter = 0;
/** A value never generated before in this process (idempotency keys, codes, e-mails). */
export function unique(prefix: string): string {
  uniqueCounter += 1;
  return `${prefix}${Date.now().toString(36)}${uniqueCounter.toString(36)}`;
}
const uniqueArb = (prefix: string): fc.Arbitrary<string> => fc.constant(null).map(() => unique(prefix));

/** Field names whose valid values the schema cannot tell (ids of existing rows, keys, credentials). */
function hintedString(name: string, pools: FuzzPools): fc.Arbitrary<string> | null {
  const stores = pool(pools, 'stores');
  const skus = pool(pools, 'skus');
  switch (name) {
    case 'storeId':
    case 'store':
      return fromPoolOr(stores, fc.constantFrom('S01', 'S99', 'RL1'));
    case 'skuCode':
    case 'sku':
      return fromPoolOr(skus, fc.constantFrom('PRD-001', 'PRD-999', 'RL-NEW'));
    case 'code':
      return fc.oneof(livePick(skus, fc.constant('PRD-001')), uniqueArb('RL-'));
    case 'id':
      return fc.oneof(livePick(stores, fc.constant('S01')), uniqueArb('R'), fc.uuid());
    case 'decisionId':
      return fromPoolOr(pool(pools, 'decisions'), fc.uuid());
    case 'experimentId':
      return fromPoolOr(pool(pools, 'experiments'), fc.uuid());
    case 'modelVersion':
    case 'modelVersionId':
    case 'versionId':
    case 'challenger':
    case 'champion':
      return fromPoolOr(pool(pools, 'models'), fc.constantFrom('m-000000000000'));
    case 'category':
      return fromPoolOr(pools.categories, fc.constantFrom('produce', 'bakery', 'dairy', 'meat', 'ready-meals'));
    case 'idempotencyKey':
      return uniqueArb('rl-key-');
    case 'email':
      return uniqueArb('rl-user-').map((local) => `${local}@example.com`);
    case 'password':
      return fc.constantFrom('reliability-password-123', 'short');
    case 'timezone':
      return fc.constantFrom('Europe/London', 'America/New_York', 'UTC', 'Not/AZone');
    case 'alias':
      return fc.constantFrom('champion', 'challenger');
    case 'customerHash':
      return fc.constantFrom('a'.repeat(64), 'not-a-hash');
    case 'cursor':
    case 'before':
    case 'after':
      return fc.oneof(fc.uuid(), fromPoolOr(skus, fc.constant('PRD-001')));
    default:
      return null;
  }
}

/** Follows the schema: enums, formats, ranges, required fields, real ids where the name says so. */
export function validValueArb(doc: OpenApiDocument, raw: JsonSchema, name: string, pools: FuzzPools, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveSchema(doc, raw);
  if (depth > 8) return fc.constant(null);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if (schema.oneOf?.length || schema.anyOf?.length) {
    const options = (schema.oneOf ?? schema.anyOf ?? []).map((option) => validValueArb(doc, option, name, pools, depth + 1));
    return fc.oneof(...options);
  }
  const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : 'string');
  switch (type) {
    case 'object':
      return objectArb(doc, schema, pools, depth);
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.max(min, Math.min(schema.maxItems ?? 4, min + 4));
      return fc.array(validValueArb(doc, schema.items ?? { type: 'string' }, singular(name), pools, depth + 1), { minLength: min, maxLength: max });
    }
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? Math.max(min + 100, 100);
      const integer = type === 'integer' || /limit|offset|days|count|size|version|percent|seed|n$/i.test(name);
      const ranged = integer
        ? fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, 1_000_000)) })
        : fc.integer({ min: Math.max(1, Math.round(min * 100)), max: Math.max(1, Math.round(Math.min(max, 10_000) * 100)) }).map((cents) => cents / 100);
      // The documented example is the likeliest value to pass the API's own rules.
      return typeof schema.example === 'number' ? fc.oneof({ weight: 3, arbitrary: fc.constant(schema.example) }, { weight: 1, arbitrary: ranged }) : ranged;
    }
    case 'boolean':
      return fc.boolean();
    default:
      return stringArb(schema, name, pools);
  }
}

function singular(name: string): string {
  if (name === 'storeIds' || name === 'stores') return 'storeId';
  if (name === 'skuCodes' || name === 'skus') return 'skuCode';
  return name;
}

function stringArb(schema: JsonSchema, name: string, pools: FuzzPools): fc.Arbitrary<string> {
  const hinted = hintedString(name, pools);
  if (hinted) return hinted;
  switch (schema.format) {
    case 'date-time':
      return dateTimeArb(pools, name);
    case 'date':
      return dateTimeArb(pools, name).map((iso) => iso.slice(0, 10));
    case 'uuid':
      return fc.uuid();
    case 'email':
      return uniqueArb('rl-').map((local) => `${local}@example.com`);
    default:
      break;
  }
  if (/At$|^from$|^to$|Date$/.test(name)) return dateTimeArb(pools, name);
  const example = typeof schema.example === 'string' ? [fc.constant(schema.example)] : [];
  const fallback = typeof schema.default === 'string' ? [fc.constant(schema.default)] : [];
  if (schema.pattern) return fc.oneof(...example, fc.stringMatching(new RegExp(schema.pattern)));
  const min = schema.minLength ?? 1;
  const max = Math.max(min, Math.min(schema.maxLength ?? 24, 24));
  return fc.oneof(...example, ...fallback, fc.stringMatching(/^[A-Za-z0-9 _.-]+$/).filter((text) => text.length >= min && text.length <= max));
}

function objectArb(doc: OpenApiDocument, schema: JsonSchema, pools: FuzzPools, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(properties);
  if (entries.length === 0) {
    // A free-form map (store attributes, model card metadata).
    return schema.additionalProperties === false ? fc.constant({}) : fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z]{0,11}$/), fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 100 })), { maxKeys: 3 });
  }
  // Optional fields are left out two times in three: each one can make an otherwise valid request invalid.
  const ABSENT = Symbol('absent');
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, property] of entries) {
    const value = validValueArb(doc, property, key, pools, depth + 1);
    model[key] = required.has(key) ? value : fc.oneof({ weight: 2, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary: value });
  }
  return fc.record(model).map((record) => {
    const present: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) if (value !== ABSENT) present[key] = value;
    return present;
  });
}

/** A path into a JSON value: keys and indexes. */
export type JsonPath = ReadonlyArray<string | number>;

/** Every position of a value, containers included, root first. */
export function jsonPaths(value: unknown, limit = 2_000): JsonPath[] {
  const paths: JsonPath[] = [];
  // Depth-first with an explicit stack: deep bodies (thousands of levels) must not overflow the call stack.
  const pending: Array<[node: unknown, path: JsonPath]> = [[value, []]];
  while (pending.length > 0 && paths.length < limit) {
    const [node, path] = pending.pop() as [unknown, JsonPath];
    paths.push(path);
    const children: Array<[unknown, JsonPath]> = Array.isArray(node)
      ? node.slice(0, 50).map((item: unknown, index) => [item, [...path, index]])
      : node && typeof node === 'object'
        ? Object.entries(node).map(([key, child]) => [child, [...path, key]])
        : [];
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i] as [unknown, JsonPath]);
  }
  return paths;
}

export function getAt(value: unknown, path: JsonPath): unknown {
  let node = value;
  for (const key of path) node = (node as Record<string | number, unknown> | null | undefined)?.[key];
  return node;
}

/** A copy of `value` with `path` set (or removed when `replacement` is REMOVE). */
export const REMOVE = Symbol('remove');
export function setAt(value: unknown, path: JsonPath, replacement: unknown): unknown {
  if (path.length === 0) return replacement === REMOVE ? undefined : replacement;
  const [head, ...rest] = path as [string | number, ...Array<string | number>];
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === REMOVE) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number], rest, replacement);
    return copy;
  }
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) defineOwn(copy, key, child);
    if (rest.length === 0 && replacement === REMOVE) delete copy[head as string];
    else defineOwn(copy, String(head), setAt(copy[head as string], rest, replacement));
    return copy;
  }
  return value;
}

/** Sets an own property, also for `__proto__` (a plain assignment would change the prototype instead). */
export function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export type Mutation =
  | { kind: 'hostile-string'; at: number; value: string }
  | { kind: 'hostile-value'; at: number; value: unknown }
  | { kind: 'remove'; at: number }
  | { kind: 'unknown-field'; at: number; key: string; value: unknown }
  | { kind: 'wrong-type'; at: number }
  | { kind: 'boundary-number'; at: number; value: number };

export const UNKNOWN_FIELD_NAMES: readonly string[] = ['isAdmin', 'role', '__proto__', 'constructor', 'id', 'createdAt', 'caller', '$where', 'extra field'];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('hostile-string' as const), at: fc.nat(), value: hostileStringArb }),
  fc.record({ kind: fc.constant('hostile-value' as const), at: fc.nat(), value: hostileValueArb }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('unknown-field' as const), at: fc.nat(), key: fc.constantFrom(...UNKNOWN_FIELD_NAMES), value: hostileValueArb }),
  fc.record({ kind: fc.constant('wrong-type' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('boundary-number' as const), at: fc.nat(), value: hostileNumberArb }),
);

function wrongType(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value === '' ? 0 : Number.isNaN(Number(value)) ? [value] : Number(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return { ...value };
  if (value && typeof value === 'object') return [value];
  return 'null';
}

/** Applies mutations at positions chosen among the value's own (`at` modulo the number of positions). */
export function applyMutation(value: unknown, mutation: Mutation): unknown {
  const paths = jsonPaths(value);
  const path = paths[mutation.at % paths.length] as JsonPath;
  switch (mutation.kind) {
    case 'hostile-string': {
      // Prefer a string position: every string field gets injection payloads.
      const strings = paths.filter((candidate) => typeof getAt(value, candidate) === 'string');
      return setAt(value, strings.length > 0 ? (strings[mutation.at % strings.length] as JsonPath) : path, mutation.value);
    }
    case 'hostile-value':
      return setAt(value, path, mutation.value);
    case 'remove':
      return path.length === 0 ? value : setAt(value, path, REMOVE);
    case 'unknown-field': {
      const objects = paths.filter((candidate) => {
        const node = getAt(value, candidate);
        return node !== null && typeof node === 'object' && !Array.isArray(node);
      });
      if (objects.length === 0) return value;
      const target = objects[mutation.at % objects.length] as JsonPath;
      const node = getAt(value, target) as Record<string, unknown>;
      const copy: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) defineOwn(copy, key, child);
      defineOwn(copy, mutation.key, mutation.value);
      return setAt(value, target, copy);
    }
    case 'wrong-type':
      return setAt(value, path, wrongType(getAt(value, path)));
    case 'boundary-number': {
      const numbers = paths.filter((candidate) => typeof getAt(value, candidate) === 'number');
      return setAt(value, numbers.length > 0 ? (numbers[mutation.at % numbers.length] as JsonPath) : path, mutation.value);
    }
  }
}

/** Every string of the value replaced by a hostile string (the `index`-th onwards, cycling). */
export function allStringsHostile(value: unknown, index: number): unknown {
  let next = index;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return HOSTILE_STRINGS[next++ % HOSTILE_STRINGS.length];
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) defineOwn(copy, key, walk(child));
      return copy;
    }
    return node;
  };
  return walk(value);
}
