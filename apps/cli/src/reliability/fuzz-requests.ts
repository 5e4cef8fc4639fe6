import fc from 'fast-check';
import {
  allStringsHostile,
  BOUNDARY_DATES,
  defineOwn,
  getAt,
  HOSTILE_STRINGS,
  hostileStringArb,
  jsonPaths,
  livePick,
  mutationArb,
  pool,
  applyMutation,
  setAt,
  unique,
  validValueArb,
  type FuzzPools,
} from './fuzz-values';
import { fillPath, resolveSchema, type JsonSchema, type OpenApiDocument, type Operation } from './openapi';

/** What kind of input a request is, for the per-route counts. */
export type InputKind = 'valid' | 'boundary' | 'invalid' | 'hostile-strings' | 'raw-body' | 'content-type' | 'path' | 'query' | 'method';

/** One generated request, ready to send. */
export interface FuzzRequest {
  route: string;
  kind: InputKind;
  /** A role, `anonymous` or `bad-key`. */
  identity: string;
  method: string;
  /** Path and query, URL-encoded. */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The JSON value sent, when the body is exactly JSON.stringify(json) (the ledger reads it). */
  json?: unknown;
  /** A short label of the variation (raw-body and content-type kinds). */
  note?: string;
}

/** Percent-encodes any string, lone surrogates included (as UTF-8 of U+FFFD), unlike encodeURIComponent. */
export function encodeSegment(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** Path parameter values of every shape: real ids, UUIDs, numbers, traversal, injection, malformed percent-encoding. */
const HOSTILE_PATH_SEGMENTS: readonly string[] = [
  '0',
  '-1',
  '1e309',
  '99999999999999999999999',
  'NaN',
  'null',
  '00000000-0000-0000-0000-000000000000',
  '01a2176e-bdbf-7b8a-bee9-f9a9cdf3c1ce',
  'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ',
  '%00',
  '%zz',
  '%E0%A4%A',
  '..',
  '..%2F..%2Fetc%2Fpasswd',
  '%2F',
  '%20',
  encodeURIComponent("1' OR '1'='1"),
  encodeURIComponent('<script>alert(1)</script>'),
  encodeURIComponent('🍌'),
  encodeURIComponent('a\u0000b'),
  'x'.repeat(3_000),
  encodeURIComponent('S01; DROP TABLE stores'),
];

const WRONG_CONTENT_TYPES: readonly (string | null)[] = [
  null,
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=reliability',
  'application/json; charset=utf-16',
  'application/vnd.api+json',
  'application/json, text/html',
  'application/octet-stream',
  '',
];

const RAW_NUMBER_LITERALS: readonly string[] = ['NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '0x10', '01', '.5', '+1', '1_000', '1' + '0'.repeat(400)];

export interface RequestContext {
  doc: OpenApiDocument;
  pools: FuzzPools;
  /** Identities allowed on the route (learned by a first probe); the others are tried too, less often. */
  allowed: readonly string[];
  identities: readonly string[];
}

/** Which pool a path parameter draws from: the collection segment before it (`/v1/skus/{code}` → skus). */
export function poolFor(path: string, param: string): string {
  const segments = path.split('/');
  const index = segments.indexOf(`{${param}}`);
  const before = segments[index - 1] ?? '';
  if (before === 'aliases') return 'aliases';
  return before;
}

function identityArb(context: RequestContext): fc.Arbitrary<string> {
  const others = context.identities.filter((identity) => !context.allowed.includes(identity));
  if (context.allowed.length === 0) return fc.constantFrom(...context.identities);
  if (others.length === 0) return fc.constantFrom(...context.allowed);
  return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...context.allowed) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
}

function pathValuesArb(operation: Operation, pools: FuzzPools, hostile: boolean): fc.Arbitrary<Record<string, string>> {
  const model: Record<string, fc.Arbitrary<string>> = {};
  for (const param of operation.pathParams) {
    const realArb = livePick(pool(pools, poolFor(operation.path, param.name)), fc.uuid()).map(encodeSegment);
    model[param.name] = hostile
      ? fc.oneof(fc.constantFrom(...HOSTILE_PATH_SEGMENTS), hostileStringArb.map(encodeSegment), fc.uuid())
      : fc.oneof({ weight: 5, arbitrary: realArb }, { weight: 1, arbitrary: fc.uuid() });
  }
  return fc.record(model);
}

function queryString(entries: ReadonlyArray<readonly [string, string]>): string {
  return entries.length === 0 ? '' : `?${entries.map(([key, value]) => `${encodeSegment(key)}=${encodeSegment(value)}`).join('&')}`;
}

function asQueryValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

function validQueryArb(operation: Operation, context: RequestContext): fc.Arbitrary<Array<[string, string]>> {
  if (operation.queryParams.length === 0) return fc.constant([]);
  const parts = operation.queryParams.map((param) => {
    const value = validValueArb(context.doc, param.schema, param.name, context.pools).map((v): [string, string] => [param.name, asQueryValue(v)]);
    return param.required ? value.map((entry) => [entry]) : fc.option(value, { freq: 2 }).map((entry) => (entry ? [entry] : []));
  });
  return fc.tuple(...parts).map((lists) => lists.flat());
}

function hostileQueryArb(operation: Operation, context: RequestContext): fc.Arbitrary<Array<[string, string]>> {
  const names = [...operation.queryParams.map((param) => param.name), 'unknownParam', '__proto__', 'limit', 'offset'];
  const value = fc.oneof(
    hostileStringArb,
    fc.constantFrom('-1', '0', '1e309', '1.5', '99999999999', 'NaN', 'Infinity', '', ' ', 'true', '[]', '{}'),
    fc.constantFrom(...BOUNDARY_DATES),
  );
  return fc.tuple(validQueryArb(operation, context), fc.array(fc.tuple(fc.constantFrom(...names), value), { minLength: 1, maxLength: 4 })).map(([valid, hostile]) => [...valid, ...hostile]);
}

/** A valid value at the edges: numbers at and past their limits, strings at their length limits, arrays at their size limits. */
export function boundaryValueArb(doc: OpenApiDocument, raw: JsonSchema, name: string, pools: FuzzPools, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveSchema(doc, raw);
  const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : 'string');
  if (schema.enum || depth > 6) return validValueArb(doc, schema, name, pools, depth);
  switch (type) {
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      if (properties.length === 0) return validValueArb(doc, schema, name, pools, depth);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of properties) {
        model[key] = fc.oneof(boundaryValueArb(doc, property, key, pools, depth + 1), validValueArb(doc, property, key, pools, depth + 1));
      }
      return fc.record(model, { requiredKeys: [...(schema.required ?? [])] });
    }
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = schema.maxItems ?? 100;
      const lengths = [...new Set([Math.max(0, min - 1), min, Math.min(max, 10_001), max <= 10_000 ? max + 1 : 10_001])];
      const item = validValueArb(doc, schema.items ?? { type: 'string' }, name, pools, depth + 1);
      return fc.tuple(fc.constantFrom(...lengths), item).map(([length, first]) => Array.from({ length }, (_, index) => withUniqueKeys(first, index)));
    }
    case 'integer':
    case 'number': {
      const edges: number[] = [0, -1, 1e21, 2 ** 31, 0.001, 1.005];
      if (schema.minimum !== undefined) edges.push(schema.minimum, schema.minimum - 0.001, schema.minimum - 1);
      if (schema.maximum !== undefined) edges.push(schema.maximum, schema.maximum + 0.001, schema.maximum + 1);
      return fc.constantFrom(...edges);
    }
    case 'boolean':
      return fc.boolean();
    default: {
      if (schema.format === 'date-time' || /At$|^from$|^to$/.test(name)) return fc.constantFrom(...BOUNDARY_DATES);
      const max = schema.maxLength ?? 256;
      return fc.constantFrom('', ' ', 'a', 'x'.repeat(max), 'x'.repeat(max + 1), 'é'.repeat(Math.min(max, 1_000)), 'x'.repeat(10_000));
    }
  }
}

/** A copy of an array item with its idempotency key made unique (large valid batches are not all repeats). */
function withUniqueKeys(item: unknown, index: number): unknown {
  if (index === 0 || !item || typeof item !== 'object' || Array.isArray(item)) return item;
  const key = (item as Record<string, unknown>)['idempotencyKey'];
  if (typeof key !== 'string') return item;
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) defineOwn(copy, name, value);
  copy['idempotencyKey'] = `${key.slice(0, 100)}-${index}`;
  return copy;
}

function multipartBody(fields: ReadonlyArray<{ name: string; filename?: string; content: Buffer | string }>, boundary: string): Buffer {
  const parts: Buffer[] = [];
  for (const field of fields) {
    const disposition = `form-data; name="${field.name}"${field.filename ? `; filename="${field.filename}"` : ''}`;
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${field.filename ? 'application/octet-stream' : 'application/json'}\r\n\r\n`));
    parts.push(Buffer.isBuffer(field.content) ? field.content : Buffer.from(field.content));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

/** A multipart model upload: garbage or truncated ONNX bytes, a card that is valid, hostile or missing. */
function multipartArb(): fc.Arbitrary<{ body: Buffer; contentType: string; note: string }> {
  const model = fc.oneof(
    fc.uint8Array({ minLength: 0, maxLength: 2_048 }).map((bytes) => Buffer.from(bytes)),
    fc.constant(Buffer.from([0x08, 0x07, 0x12, 0x04, 0x74, 0x65, 0x73, 0x74, 0x3a])),
    fc.constant(Buffer.alloc(0)),
  );
  const card = fc.oneof(
    fc.constant(JSON.stringify({ features: [{ name: 'price', type: 'float' }] })),
    hostileStringArb,
    fc.constant('{"features":'),
    fc.constant(JSON.stringify({ features: Array.from({ length: 500 }, (_, i) => ({ name: `f${i}`, type: 'float' })) })),
  );
  return fc.tuple(model, fc.option(card), fc.boolean()).map(([bytes, cardText, truncate]) => {
    const boundary = 'reliability-boundary';
    const fields = [{ name: 'model', filename: 'model.onnx', content: bytes }, ...(cardText === null ? [] : [{ name: 'card', content: cardText }])];
    const body = multipartBody(fields, boundary);
    return { body: truncate ? body.subarray(0, Math.max(1, body.length - 20)) : body, contentType: `multipart/form-data; boundary=${boundary}`, note: truncate ? 'truncated multipart' : 'multipart' };
  });
}

/** A raw JSON text: NaN / Infinity literals, truncation, deep nesting, duplicate keys, prototype keys, invalid UTF-8. */
function rawBodyArb(valid: fc.Arbitrary<unknown>): fc.Arbitrary<{ body: string | Buffer; note: string }> {
  return fc.tuple(valid, fc.nat(), fc.constantFrom(...RAW_NUMBER_LITERALS), fc.integer({ min: 0, max: 10 })).map(([value, at, literal, variant]) => {
    const text = JSON.stringify(value) ?? '{}';
    switch (variant) {
      case 0:
      case 1: {
        // A number literal JSON cannot carry, where a number (or anything) was.
        const paths = jsonPaths(value).filter((path) => path.length > 0);
        const numbers = paths.filter((path) => typeof getAt(value, path) === 'number');
        const candidates = numbers.length > 0 ? numbers : paths;
        if (candidates.length === 0) return { body: literal, note: `raw ${literal}` };
        const marker = '"__reliability_raw__"';
        const marked = JSON.stringify(setAt(value, candidates[at % candidates.length] as ReadonlyArray<string | number>, '__reliability_raw__')) ?? '';
        return { body: marked.replace(marker, literal), note: `number literal ${literal.slice(0, 12)}` };
      }
      case 2:
        return { body: text.slice(0, Math.max(0, (at % Math.max(1, text.length)) - 1)), note: 'truncated JSON' };
      case 3: {
        const depth = [1_000, 10_000, 100_000][at % 3] as number;
        return { body: at % 2 === 0 ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), note: `nesting ${depth}` };
      }
      case 4: {
        const depth = [50, 500, 5_000][at % 3] as number;
        // Deep JSON inside an otherwise valid body: a field holds the nest.
        const paths = jsonPaths(value).filter((path) => path.length > 0);
        const target = paths[at % Math.max(1, paths.length)];
        const nest = '['.repeat(depth) + '1' + ']'.repeat(depth);
        if (!target) return { body: nest, note: `nested field ${depth}` };
        const marked = JSON.stringify(setAt(value, target, '__reliability_raw__')) ?? '';
        return { body: marked.replace('"__reliability_raw__"', nest), note: `nested field ${depth}` };
      }
      case 5:
        return { body: text.replace(/^\{/, '{"storeId":"S01","storeId":"S02",'), note: 'duplicate keys' };
      case 6:
        return { body: text.replace(/^\{/, '{"__proto__":{"isAdmin":true},'), note: '__proto__ key' };
      case 7:
        return { body: text.replace(/^\{/, '{"constructor":{"prototype":{"isAdmin":true}},'), note: 'constructor.prototype key' };
      case 8:
        return { body: Buffer.concat([Buffer.from(text.slice(0, Math.floor(text.length / 2))), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(text.slice(Math.floor(text.length / 2)))]), note: 'invalid UTF-8' };
      case 9:
        return { body: `\ufeff${text}`, note: 'byte-order mark' };
      default:
        return { body: ['', 'null', '""', '[]', '0', 'true', '{}', ' ', '\n'][at % 9] as string, note: 'empty or scalar body' };
    }
  });
}

function contentTypeHeader(contentType: string | null): Record<string, string> {
  return contentType === null ? {} : { 'content-type': contentType };
}

/** All requests one route can get, weighted: valid, boundary, invalid, hostile strings, raw bodies, wrong content types, odd paths and queries. */
export function requestArb(operation: Operation, context: RequestContext): fc.Arbitrary<FuzzRequest> {
  const { doc, pools } = context;
  const isJson = operation.body?.contentType === 'application/json';
  const bodySchema = operation.body?.schema;
  const validBody: fc.Arbitrary<unknown> = isJson && bodySchema ? validValueArb(doc, bodySchema, '', pools) : fc.constant(undefined);
  const boundaryBody: fc.Arbitrary<unknown> = isJson && bodySchema ? boundaryValueArb(doc, bodySchema, '', pools) : validBody;
  const base = fc.record({ identity: identityArb(context), path: pathValuesArb(operation, pools, false), query: validQueryArb(operation, context) });
  const make = (kind: InputKind, parts: { identity: string; path: Record<string, string>; query: Array<[string, string]> }, body: unknown, extra: Partial<FuzzRequest> = {}): FuzzRequest => {
    const json = body === undefined ? undefined : body;
    return {
      route: operation.route,
      kind,
      identity: parts.identity,
      method: operation.method,
      url: fillPath(operation.path, parts.path) + queryString(parts.query),
      headers: json === undefined ? {} : { 'content-type': 'application/json' },
      ...(json === undefined ? {} : { body: JSON.stringify(json), json }),
      ...extra,
    };
  };
  const options: Array<{ weight: number; arbitrary: fc.Arbitrary<FuzzRequest> }> = [
    { weight: 30, arbitrary: fc.tuple(base, validBody).map(([parts, body]) => make('valid', parts, body)) },
    { weight: 6, arbitrary: fc.tuple(base, fc.record({ path: pathValuesArb(operation, pools, true) }), validBody).map(([parts, hostile, body]) => make('path', { ...parts, ...hostile }, body)) },
    { weight: 8, arbitrary: fc.tuple(base, hostileQueryArb(operation, context), validBody).map(([parts, query, body]) => make('query', { ...parts, query }, body)) },
    {
      weight: 3,
      arbitrary: fc.tuple(base, fc.constantFrom('PUT', 'PATCH', 'DELETE', 'POST', 'GET', 'OPTIONS')).map(([parts, method]) => ({ ...make('method', parts, undefined), method, note: `${method} on ${operation.path}` })),
    },
  ];
  if (isJson) {
    options.push(
      { weight: 10, arbitrary: fc.tuple(base, boundaryBody).map(([parts, body]) => make('boundary', parts, body)) },
      { weight: 20, arbitrary: fc.tuple(base, validBody, fc.array(mutationArb, { minLength: 1, maxLength: 3 })).map(([parts, body, mutations]) => make('invalid', parts, mutations.reduce(applyMutation, body))) },
      { weight: 8, arbitrary: fc.tuple(base, validBody, fc.nat({ max: HOSTILE_STRINGS.length - 1 })).map(([parts, body, index]) => make('hostile-strings', parts, allStringsHostile(body, index))) },
      {
        weight: 10,
        arbitrary: fc.tuple(base, rawBodyArb(validBody)).map(([parts, raw]) => ({ ...make('raw-body', parts, undefined), headers: { 'content-type': 'application/json' }, body: raw.body, note: raw.note })),
      },
      {
        weight: 5,
        arbitrary: fc.tuple(base, validBody, fc.constantFrom(...WRONG_CONTENT_TYPES)).map(([parts, body, contentType]) => ({
          ...make('content-type', parts, undefined),
          headers: contentTypeHeader(contentType),
          body: contentType?.includes('form-urlencoded') ? 'storeId=S01&items=1' : JSON.stringify(body),
          note: `content-type ${contentType === null ? '(none)' : JSON.stringify(contentType)}`,
        })),
      },
    );
  } else if (operation.body) {
    // multipart/form-data (model upload).
    options.push(
      { weight: 30, arbitrary: fc.tuple(base, multipartArb()).map(([parts, upload]) => ({ ...make('valid', parts, undefined), headers: { 'content-type': upload.contentType }, body: upload.body, note: upload.note })) },
      {
        weight: 10,
        arbitrary: fc.tuple(base, validBody, fc.constantFrom('application/json', 'text/plain', 'multipart/form-data', null)).map(([parts, , contentType]) => ({
          ...make('content-type', parts, undefined),
          headers: contentTypeHeader(contentType),
          body: '{"model":"AAAA"}',
          note: `content-type ${contentType ?? '(none)'}`,
        })),
      },
    );
  } else {
    // No body declared: send one anyway, sometimes.
    options.push({
      weight: 6,
      arbitrary: fc.tuple(base, fc.oneof(fc.constant('{}'), fc.constant('{"unexpected":true}'), fc.constant('not json'), hostileStringArb.map((text) => JSON.stringify({ text })))).map(([parts, body]) => ({
        ...make('raw-body', parts, undefined),
        headers: { 'content-type': 'application/json' },
        body,
        note: 'body on a route without one',
      })),
    });
  }
  return fc.oneof(...options);
}

/** An unused idempotency key prefix per run, so that fuzz batches never collide with the seed's. */
export function runPrefix(): string {
  return unique('rl');
}
