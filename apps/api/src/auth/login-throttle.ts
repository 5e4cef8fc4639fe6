import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RetryLaterError } from './errors';

export const LOGIN_WINDOW_MS = 15 * 60_000;
const MAX_KEYS = 50_000;

/**
 * Failed sign-ins per email and per source address within 15 minutes: past LOGIN_MAX_FAILURES,
 * sign-in for that email (or from that address) answers 429 until the oldest failure ages out.
 * Per instance, in memory (the rate limit bounds what one address can try anyway).
 */
@Injectable()
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly max: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.max = config.security.rateLimit.loginMaxFailures;
  }

  /** Throws a 429 if the email or the address has failed too often. */
  check(email: string, ip: string, now = Date.now()): void {
    for (const key of [`email:${email}`, `ip:${ip}`]) {
      const recent = this.recent(key, now);
      if (recent.length >= this.max) {
        const retryAfter = Math.max(1, Math.ceil(((recent[0] as number) + LOGIN_WINDOW_MS - now) / 1000));
        throw new RetryLaterError(`too many failed sign-ins; try again in ${retryAfter} s`, retryAfter);
      }
    }
  }

  fail(email: string, ip: string, now = Date.now()): void {
    for (const key of [`email:${email}`, `ip:${ip}`]) {
      const recent = this.recent(key, now);
      recent.push(now);
      if (!this.failures.has(key) && this.failures.size >= MAX_KEYS) this.failures.delete(this.failures.keys().next().value as string);
      this.failures.set(key, recent);
    }
  }

  succeed(email: string): void {
    this.failures.delete(`email:${email}`);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => now - at < LOGIN_WINDOW_MS);
  }
}
