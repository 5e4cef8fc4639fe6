import type { Schemas } from '@dynaprice/api-client';

export type SessionUser = Schemas['SessionUserDto'];
export type LoginResult = Schemas['LoginResponseDto'];

export interface SessionState {
  token: string | null;
  expiresAt: string | null;
  user: SessionUser | null;
  /** Why the last session ended (shown on the sign-in page), if it did not end by signing out. */
  notice: string | null;
}

export interface SessionStore {
  getSnapshot(): SessionState;
  subscribe(listener: () => void): () => void;
  signIn(result: LoginResult): void;
  updateUser(user: SessionUser): void;
  signOut(): void;
  expire(notice: string): void;
}

const STORAGE_KEY = 'dynaprice.session';
const EMPTY: SessionState = { token: null, expiresAt: null, user: null, notice: null };

function load(storage: Storage | null, now: number): SessionState {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return EMPTY;
    const saved = JSON.parse(raw) as Partial<SessionState>;
    if (!saved.token || !saved.user || !saved.expiresAt || Date.parse(saved.expiresAt) <= now) return EMPTY;
    return { token: saved.token, expiresAt: saved.expiresAt, user: saved.user, notice: null };
  } catch {
    return EMPTY;
  }
}

/**
 * The signed-in session: bearer token, expiry and user. Kept in sessionStorage (per tab, gone with the
 * tab) so that a reload keeps the session but nothing outlives the browser session.
 */
export function createSessionStore(storage: Storage | null = typeof window === 'undefined' ? null : window.sessionStorage, now: () => number = Date.now): SessionStore {
  let state = load(storage, now());
  const listeners = new Set<() => void>();
  const set = (next: SessionState) => {
    state = next;
    if (next.token) storage?.setItem(STORAGE_KEY, JSON.stringify({ token: next.token, expiresAt: next.expiresAt, user: next.user }));
    else storage?.removeItem(STORAGE_KEY);
    for (const listener of listeners) listener();
  };
  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    signIn: (result) => set({ token: result.accessToken, expiresAt: result.expiresAt, user: result.user, notice: null }),
    updateUser: (user) => {
      const current = state.user;
      if (state.token && (current?.id !== user.id || current.email !== user.email || current.role !== user.role)) set({ ...state, user });
    },
    signOut: () => set(EMPTY),
    expire: (notice) => {
      if (state.token) set({ ...EMPTY, notice });
    },
  };
}
