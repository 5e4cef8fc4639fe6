import { Injectable } from '@nestjs/common';

/**
 * How long a looked-up API key or session is trusted without asking the database again. Revoking on
 * this instance takes effect at once (the entry is dropped); on other instances within this time.
 */
export const CREDENTIAL_CACHE_MS = 10_000;
/**
 * While the database cannot be asked, a credential checked within this time keeps working, so a
 * database outage does not stop pricing (revocations made meanwhile on other instances wait for it).
 */
export const CREDENTIAL_STALE_MS = 15 * 60_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  at: number;
}

/** A small time-bounded cache (credentials, by API key prefix or session id). */
export class TimedCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly ttlMs: number) {}

  /** The value if looked up within the TTL. */
  get(key: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(key);
    return entry && now - entry.at <= this.ttlMs ? entry.value : undefined;
  }

  /** The last value, however old (up to `maxAgeMs`): the fallback while the database cannot be asked. */
  stale(key: string, maxAgeMs: number, now = Date.now()): T | undefined {
    const entry = this.entries.get(key);
    return entry && now - entry.at <= maxAgeMs ? entry.value : undefined;
  }

  set(key: string, value: T, now = Date.now()): void {
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, at: now });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** What the authenticator caches, shared with the services that revoke. */
export interface CachedApiKey {
  id: string;
  prefix: string;
  keyHash: string;
  role: string;
  storeIds: string[] | null;
  expiresAt: number;
  revokedAt: number | null;
}

export interface CachedSession {
  sessionId: string;
  userId: string;
  email: string;
  role: string;
  expiresAt: number;
  revoked: boolean;
  userDisabled: boolean;
}

@Injectable()
export class CredentialCache {
  /** By prefix; null: no such key (a negative entry, so a guessed prefix costs one query per period). */
  readonly apiKeys = new TimedCache<CachedApiKey | null>(CREDENTIAL_CACHE_MS);
  readonly sessions = new TimedCache<CachedSession | null>(CREDENTIAL_CACHE_MS);
}
