import { describe, expect, it, vi } from 'vitest';
import { loginResult } from '../../../test/render';
import { createSessionStore } from './session-store';

describe(createSessionStore.name, () => {
  it('keeps a session across a reload of the tab, and forgets it on sign-out', () => {
    const first = createSessionStore(window.sessionStorage);
    first.signIn(loginResult('finance'));
    expect(createSessionStore(window.sessionStorage).getSnapshot()).toMatchObject({ token: 'token-finance', user: { role: 'finance' } });
    first.signOut();
    expect(createSessionStore(window.sessionStorage).getSnapshot().token).toBeNull();
  });

  it('does not restore an expired session', () => {
    const store = createSessionStore(window.sessionStorage);
    store.signIn({ ...loginResult('finance'), expiresAt: '2026-01-01T00:00:00Z' });
    expect(createSessionStore(window.sessionStorage, () => Date.parse('2026-06-01T00:00:00Z')).getSnapshot().token).toBeNull();
  });

  it('tells listeners, and says why a session ended', () => {
    const store = createSessionStore(null);
    const listener = vi.fn();
    store.subscribe(listener);
    store.signIn(loginResult('merchandiser'));
    store.expire('Your session has ended: sign in again.');
    expect(listener).toHaveBeenCalledTimes(2);
    expect(store.getSnapshot()).toEqual({ token: null, expiresAt: null, user: null, notice: 'Your session has ended: sign in again.' });
  });
});
