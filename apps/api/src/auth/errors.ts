import { DomainError } from '@dynaprice/kernel';

/** 429 with a Retry-After: the rate limit, and sign-in after too many failures. */
export class RetryLaterError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', message);
    this.name = 'RetryLaterError';
  }
}

export function unauthenticated(detail: string): DomainError {
  return new DomainError('UNAUTHENTICATED', detail);
}

export function forbidden(detail: string): DomainError {
  return new DomainError('FORBIDDEN', detail);
}
