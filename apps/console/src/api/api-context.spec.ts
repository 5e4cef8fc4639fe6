import { describe, expect, it } from 'vitest';
import { createSessionStore } from '../features/auth/utils/session-store';
import { FakeApi, reply } from '../test/fake-api';
import { loginResult } from '../test/render';
import { createApi } from './api-context';
import { ApiError, describeError, unwrap } from './api-error';

describe(createApi.name, () => {
  it('sends the session’s bearer token with every call', async () => {
    const fake = new FakeApi().on('get', '/v1/stores', () => ({ items: [], total: 0, limit: 100, offset: 0 }));
    const session = createSessionStore(null);
    const api = createApi({ baseUrl: 'http://console.test', session, fetch: fake.fetch });
    await unwrap(api.client.GET('/v1/stores'));
    expect(fake.calls[0]?.headers.get('authorization')).toBeNull();
    session.signIn(loginResult('merchandiser'));
    await unwrap(api.client.GET('/v1/stores'));
    expect(fake.calls[1]?.headers.get('authorization')).toBe('Bearer token-merchandiser');
  });

  it('ends the session when the API no longer accepts its token', async () => {
    const fake = new FakeApi().on('get', '/v1/stores', () => reply(401, { status: 401, title: 'Authentication required', detail: 'token expired' }));
    const session = createSessionStore(null);
    session.signIn(loginResult('merchandiser'));
    const api = createApi({ baseUrl: 'http://console.test', session, fetch: fake.fetch });
    await expect(unwrap(api.client.GET('/v1/stores'))).rejects.toBeInstanceOf(ApiError);
    expect(session.getSnapshot()).toMatchObject({ token: null, notice: 'Your session has ended: sign in again.' });
  });
});

describe(ApiError.name, () => {
  it('carries the problem details, field by field', async () => {
    const problem = { status: 400, title: 'Validation failed', detail: 'price: must not be less than 0.01', field: 'price', errors: [{ field: 'price', message: 'must not be less than 0.01' }, { field: 'reason', message: 'too short' }] };
    const fake = new FakeApi().on('post', '/v1/overrides', () => reply(400, problem));
    const api = createApi({ baseUrl: 'http://console.test', session: createSessionStore(null), fetch: fake.fetch });
    const error = await unwrap(api.client.POST('/v1/overrides', { body: { skuCode: 'A', price: 0, endsAt: '2026-01-01T00:00:00Z', reason: 'x' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).fieldErrors()).toEqual({ price: 'must not be less than 0.01', reason: 'too short' });
    expect(describeError(error)).toBe('price: must not be less than 0.01');
    expect(describeError(new ApiError(403, { detail: 'needs overrides:write' }))).toBe('Your role may not do this (needs overrides:write).');
    expect(describeError(new TypeError('Failed to fetch'))).toMatch(/cannot be reached/);
  });
});
