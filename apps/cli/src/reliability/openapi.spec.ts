import fc from 'fast-check';
import { fillPath, listOperations, resolveSchema, type JsonSchema, type OpenApiDocument } from './openapi';

/** A small document in the shape @nestjs/swagger writes. */
const DOC: OpenApiDocument = {
  paths: {
    '/v1/skus/{code}': {
      get: { operationId: 'getSku', parameters: [{ name: 'code', in: 'path', schema: { type: 'string' } }] },
      patch: {
        parameters: [
          { name: 'code', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'x-request-id', in: 'header', schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/UpdateSkuRequestDto' } } } },
      },
      head: { operationId: 'headSku' },
    },
    '/v1/prices': {
      get: {
        parameters: [
          { name: 'storeId', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200 } },
          { name: 'cursor', in: 'query' },
          { name: 'session', in: 'cookie', schema: { type: 'string' } },
        ],
      },
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/PriceBasketRequestDto' } } } } },
    },
    '/v1/models': {
      post: { requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } } } } },
      delete: { requestBody: { content: {} } },
    },
  },
  components: {
    schemas: {
      UpdateSkuRequestDto: { type: 'object', properties: { name: { type: 'string' }, price: { allOf: [{ $ref: '#/components/schemas/Money' }], nullable: true } } },
      Money: { type: 'number', minimum: 0.01 },
      PriceBasketRequestDto: { $ref: '#/components/schemas/PriceBasket' },
      PriceBasket: { type: 'object', required: ['storeId'], properties: { storeId: { type: 'string' } } },
      LoopA: { $ref: '#/components/schemas/LoopB' },
      LoopB: { $ref: '#/components/schemas/LoopA' },
    },
  },
};

describe(listOperations.name, () => {
  const operations = listOperations(DOC);

  it('lists every GET, POST, PUT, PATCH and DELETE operation, paths in document order, methods in a fixed order', () => {
    expect(operations.map((operation) => operation.route)).toEqual(['GET /v1/skus/{code}', 'PATCH /v1/skus/{code}', 'GET /v1/prices', 'POST /v1/prices', 'POST /v1/models', 'DELETE /v1/models']);
  });

  it('treats every path parameter as required, whatever the document says', () => {
    const get = operations.find((operation) => operation.route === 'GET /v1/skus/{code}');
    expect(get).toMatchObject({ method: 'GET', path: '/v1/skus/{code}', pathParams: [{ name: 'code', required: true, schema: { type: 'string' } }], queryParams: [], body: null });
  });

  it('keeps path and query parameters apart, ignores header and cookie parameters, and types a parameter without schema as a string', () => {
    const get = operations.find((operation) => operation.route === 'GET /v1/prices');
    expect(get?.pathParams).toEqual([]);
    expect(get?.queryParams).toEqual([
      { name: 'storeId', required: true, schema: { type: 'string' } },
      { name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200 } },
      { name: 'cursor', required: false, schema: { type: 'string' } },
    ]);
    const patch = operations.find((operation) => operation.route === 'PATCH /v1/skus/{code}');
    expect(patch?.pathParams.map((param) => param.name)).toEqual(['code']);
    expect(patch?.queryParams).toEqual([]);
  });

  it('keeps the body media type, its schema unresolved, and whether it is required', () => {
    const byRoute = new Map(operations.map((operation) => [operation.route, operation]));
    expect(byRoute.get('PATCH /v1/skus/{code}')?.body).toEqual({ contentType: 'application/json', schema: { $ref: '#/components/schemas/UpdateSkuRequestDto' }, required: true });
    expect(byRoute.get('POST /v1/prices')?.body).toEqual({ contentType: 'application/json', schema: { $ref: '#/components/schemas/PriceBasketRequestDto' }, required: false });
    expect(byRoute.get('POST /v1/models')?.body).toMatchObject({ contentType: 'multipart/form-data', required: true });
  });

  it('gives no body to an operation whose request body has no media type', () => {
    expect(operations.find((operation) => operation.route === 'DELETE /v1/models')?.body).toBeNull();
  });

  it('lists nothing for a document without paths', () => {
    expect(listOperations({ paths: {} })).toEqual([]);
  });
});

describe(resolveSchema.name, () => {
  it('follows a chain of $ref to the schema', () => {
    expect(resolveSchema(DOC, { $ref: '#/components/schemas/PriceBasketRequestDto' })).toEqual({ type: 'object', required: ['storeId'], properties: { storeId: { type: 'string' } } });
  });

  it('unwraps a single-element allOf, the wrapper’s own keywords winning', () => {
    expect(resolveSchema(DOC, { allOf: [{ $ref: '#/components/schemas/Money' }], nullable: true, minimum: 1 })).toEqual({ type: 'number', minimum: 1, nullable: true });
  });

  it('leaves an allOf with several parts, or next to properties, as it is', () => {
    const several: JsonSchema = { allOf: [{ type: 'object' }, { $ref: '#/components/schemas/Money' }] };
    const withProperties: JsonSchema = { allOf: [{ $ref: '#/components/schemas/Money' }], properties: { a: { type: 'string' } } };
    expect(resolveSchema(DOC, several)).toBe(several);
    expect(resolveSchema(DOC, withProperties)).toBe(withProperties);
  });

  it('gives an empty schema for a reference to nothing', () => {
    expect(resolveSchema(DOC, { $ref: '#/components/schemas/Nope' })).toEqual({});
    expect(resolveSchema({ paths: {} }, { $ref: '#/components/schemas/Money' })).toEqual({});
  });

  it('stops on a reference cycle with an empty schema', () => {
    expect(resolveSchema(DOC, { $ref: '#/components/schemas/LoopA' })).toEqual({});
  });

  it('returns a schema without $ref or allOf unchanged', () => {
    const schema: JsonSchema = { type: 'string', minLength: 3 };
    expect(resolveSchema(DOC, schema)).toBe(schema);
  });
});

describe(fillPath.name, () => {
  it('puts each value in its place', () => {
    expect(fillPath('/v1/stores/{storeId}/skus/{code}', { storeId: 'S01', code: 'PRD-001' })).toBe('/v1/stores/S01/skus/PRD-001');
  });

  it('inserts the values as given, without encoding them again', () => {
    expect(fillPath('/v1/skus/{code}', { code: '%2F..%20x' })).toBe('/v1/skus/%2F..%20x');
  });

  it('leaves a parameter without a value empty', () => {
    expect(fillPath('/v1/skus/{code}/history', {})).toBe('/v1/skus//history');
  });

  it('leaves no template left and keeps the literal parts (property)', () => {
    const segment = fc.stringMatching(/^[a-z0-9-]{1,8}$/);
    const valueArb = fc.stringMatching(/^[A-Za-z0-9%._~-]{0,12}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(segment, fc.boolean(), valueArb), { minLength: 1, maxLength: 6 }), (parts) => {
        const template = parts.map(([name, isParam], i) => (isParam ? `{${name}${i}}` : name)).join('/');
        const values = Object.fromEntries(parts.map(([name, , value], i) => [`${name}${i}`, value]));
        const filled = fillPath(`/${template}`, values);
        expect(filled).not.toMatch(/[{}]/);
        expect(filled).toBe(`/${parts.map(([name, isParam, value]) => (isParam ? value : name)).join('/')}`);
      }),
    );
  });
});
