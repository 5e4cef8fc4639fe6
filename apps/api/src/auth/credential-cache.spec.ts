import { TimedCache } from './credential-cache';

/** A loader whose answers the test releases one by one. */
function controlledLoader<T>() {
  const calls: Array<{ resolve: (value: T) => void; reject: (error: Error) => void }> = [];
  const load = (): Promise<T> => new Promise<T>((resolve, reject) => calls.push({ resolve, reject }));
  return { load, calls };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(TimedCache.name, () => {
  const TTL = 10_000;
  const STALE = 60_000;

  it('asks the loader once for concurrent callers of a key', async () => {
    const cache = new TimedCache<string>(TTL);
    const { load, calls } = controlledLoader<string>();
    const answers = Promise.all([cache.fetch('k', load, STALE, 0), cache.fetch('k', load, STALE, 0), cache.fetch('k', load, STALE, 0)]);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve('v1');
    expect(await answers).toEqual(['v1', 'v1', 'v1']);
    expect(cache.stale('k', TTL)).toBe('v1');
  });

  it('serves an entry past half its lifetime at once and refreshes it in the background, once', async () => {
    const cache = new TimedCache<string>(TTL);
    cache.set('k', 'old', 0);
    const { load, calls } = controlledLoader<string>();
    expect(await cache.fetch('k', load, STALE, 4_000)).toBe('old');
    expect(calls).toHaveLength(0); // young: no refresh
    expect(await cache.fetch('k', load, STALE, 6_000)).toBe('old');
    expect(await cache.fetch('k', load, STALE, 7_000)).toBe('old');
    expect(calls).toHaveLength(1); // one refresh for both
    calls[0]?.resolve('new');
    await flush();
    expect(cache.stale('k', TTL)).toBe('new');
  });

  it('waits for the loader once the entry is past its lifetime, and falls back to a stale value if it fails', async () => {
    const cache = new TimedCache<string>(TTL);
    const { load, calls } = controlledLoader<string>();
    const now = Date.now();
    cache.set('k', 'old', now - TTL - 1);
    const answer = cache.fetch('k', load, STALE, now);
    expect(calls).toHaveLength(1);
    calls[0]?.reject(new Error('database down'));
    expect(await answer).toBe('old');

    cache.set('k', 'ancient', now - STALE - 1);
    const failing = cache.fetch('k', load, STALE, now);
    calls[1]?.reject(new Error('database down'));
    await expect(failing).rejects.toThrow('database down');
  });

  it('does not store the answer of a lookup that was under way when the key was dropped (a revocation)', async () => {
    const cache = new TimedCache<string>(TTL);
    const { load, calls } = controlledLoader<string>();
    const before = cache.fetch('k', load, STALE);
    cache.delete('k');
    calls[0]?.resolve('before revocation');
    expect(await before).toBe('before revocation'); // the request that began before the revocation
    expect(cache.stale('k', TTL)).toBeUndefined();
    const after = cache.fetch('k', load, STALE);
    expect(calls).toHaveLength(2); // asked again
    calls[1]?.resolve('revoked');
    expect(await after).toBe('revoked');
  });
});
