import { describe, expect, it } from 'vitest';
import { Capabilities, operation, parseCapabilities } from './capabilities';

const DOCUMENT = {
  openapi: '3.0.0',
  info: { title: 'Dynaprice API', version: '1' },
  paths: {
    '/v1/skus': { get: {}, post: {} },
    '/v1/skus/{code}': { get: {}, patch: {}, parameters: [] },
    '/v1/roi': { get: {} },
    '/v1/roi/costs': { get: {}, post: {} },
  },
};

describe(parseCapabilities.name, () => {
  it('knows every operation of the document, by method and path template', () => {
    const capabilities = parseCapabilities(DOCUMENT);
    expect(capabilities.has('get', '/v1/skus/{code}')).toBe(true);
    expect(capabilities.has('patch', '/v1/skus/{code}')).toBe(true);
    expect(capabilities.has('delete', '/v1/skus/{code}')).toBe(false);
    expect(capabilities.apiVersion).toBe('1');
  });

  it('does not mistake path-level keys for operations', () => {
    expect(parseCapabilities(DOCUMENT).under('/v1/skus')).toHaveLength(4);
  });

  it('yields no capability from something that is not a document', () => {
    for (const value of [null, 'html', 42, { paths: null }]) expect(parseCapabilities(value).under('/')).toEqual([]);
  });
});

describe(Capabilities.name, () => {
  const capabilities = parseCapabilities(DOCUMENT);

  it('lists the operations an area offers, and only that area', () => {
    expect(capabilities.under('/v1/roi').map((op) => `${op.method} ${op.path}`).sort()).toEqual(['get /v1/roi', 'get /v1/roi/costs', 'post /v1/roi/costs']);
    expect(capabilities.under('/v1/ro')).toEqual([]);
    expect(capabilities.under('/v1/fairness')).toEqual([]);
  });

  it('names what is missing for a feature', () => {
    const needs = [operation('get', '/v1/skus'), operation('get', '/v1/fairness/audits')];
    expect(capabilities.hasAll(needs)).toBe(false);
    expect(capabilities.missing(needs)).toEqual([operation('get', '/v1/fairness/audits')]);
  });
});
