/**
 * Every error the domain can raise, by code. The API maps each code to an HTTP status in one
 * exhaustive switch, so adding a code here breaks the build until it is mapped.
 */
export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE';

/** One offending input: a dotted / indexed path (`items[3].unitCost`) and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** The first offending field, if the error is about input. */
  get field(): string | undefined {
    return this.problems[0]?.field;
  }

  static validation(field: string, message: string): DomainError {
    return new DomainError('VALIDATION_FAILED', `${field}: ${message}`, [{ field, message }]);
  }

  static notFound(what: string, id: string | number): DomainError {
    return new DomainError('NOT_FOUND', `${what} ${JSON.stringify(String(id))} does not exist`);
  }

  static conflict(message: string): DomainError {
    return new DomainError('CONFLICT', message);
  }
}
