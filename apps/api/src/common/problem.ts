import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, type DomainErrorCode, type FieldProblem } from '@dynaprice/kernel';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from '../database/connection-errors';

/** RFC 9457 problem details, as every error of the API is answered. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  /** The first offending input, for validation errors (`items[3].unitCost`). */
  field?: string;
  errors?: FieldProblem[];
  requestId?: string;
  /** Set on 5xx only: the id under which the full error was logged. */
  errorId?: string;
  retryAfterSeconds?: number;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Retry-After of a 503 while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

interface StatusAndTitle {
  status: number;
  title: string;
}

/** The one mapping of domain error codes to HTTP; a new code does not compile until it is added here. */
export function httpStatusOf(code: DomainErrorCode): StatusAndTitle {
  switch (code) {
    case 'VALIDATION_FAILED':
      return { status: HttpStatus.BAD_REQUEST, title: 'Validation failed' };
    case 'NOT_FOUND':
      return { status: HttpStatus.NOT_FOUND, title: 'Not found' };
    case 'CONFLICT':
      return { status: HttpStatus.CONFLICT, title: 'Conflict' };
    case 'PRECONDITION_FAILED':
      return { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'Request cannot be carried out' };
    case 'PAYLOAD_TOO_LARGE':
      return { status: HttpStatus.PAYLOAD_TOO_LARGE, title: 'Payload too large' };
    case 'UNSUPPORTED_MEDIA_TYPE':
      return { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, title: 'Unsupported media type' };
    case 'UNAUTHENTICATED':
      return { status: HttpStatus.UNAUTHORIZED, title: 'Authentication required' };
    case 'FORBIDDEN':
      return { status: HttpStatus.FORBIDDEN, title: 'Forbidden' };
    case 'RATE_LIMITED':
      return { status: HttpStatus.TOO_MANY_REQUESTS, title: 'Too many requests' };
    case 'UNAVAILABLE':
      return { status: HttpStatus.SERVICE_UNAVAILABLE, title: 'Service unavailable' };
  }
}

const STATUS_CODES: Record<number, DomainErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'VALIDATION_FAILED',
  406: 'UNSUPPORTED_MEDIA_TYPE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'PRECONDITION_FAILED',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

function problemType(code: string): string {
  return `urn:dynaprice:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

function fromDomainError(error: DomainError): ProblemDetails {
  const { status, title } = httpStatusOf(error.code);
  return {
    type: problemType(error.code),
    title,
    status,
    detail: error.message,
    code: error.code,
    ...(error.problems.length > 0 ? { field: error.field, errors: [...error.problems] } : {}),
  };
}

/** Fastify's own errors (body parsing, size limit, content type) carry `statusCode` and an FST_ code. */
interface FastifyLikeError {
  statusCode: number;
  code?: string;
  message: string;
}

function isFastifyLikeError(error: unknown): error is FastifyLikeError {
  return typeof error === 'object' && error !== null && typeof (error as { statusCode?: unknown }).statusCode === 'number';
}

/** PostgreSQL error classes that mean "the request conflicts with stored data", not a server fault. */
function fromDatabaseError(error: QueryFailedError): ProblemDetails | null {
  const driverError = error.driverError as { code?: string; detail?: string; constraint?: string } | undefined;
  switch (driverError?.code) {
    case '23505':
      return fromDomainError(DomainError.conflict(`already exists: ${driverError.detail ?? driverError.constraint ?? 'duplicate key'}`));
    case '23503':
    case '23001':
      return fromDomainError(DomainError.conflict(`still referenced or refers to a missing row: ${driverError.detail ?? driverError.constraint ?? 'foreign key'}`));
    case '23514':
    case '23502':
    case '22003':
    case '22P02':
    case '22021': // text the database cannot store (U+0000 in text or JSON): refused at the edge too (common/validation.ts)
    case '22P05':
      return fromDomainError(new DomainError('VALIDATION_FAILED', `value rejected by the database: ${driverError.detail ?? error.message}`));
    default:
      return null;
  }
}

export interface ProblemOutcome {
  problem: ProblemDetails;
  /** Present when the error is a server fault that must be logged in full. */
  unexpected?: unknown;
}

/** Maps anything thrown while serving a request to problem details. */
export function toProblem(error: unknown): ProblemOutcome {
  if (error instanceof DomainError) {
    // A DomainError may say when to come back (rate limits): sendProblem turns it into Retry-After.
    const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return { problem: { ...fromDomainError(error), ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}) } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = STATUS_CODES[status];
    if (code && status < 500) {
      const response = error.getResponse();
      const detail = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
      return { problem: { ...fromDomainError(new DomainError(code, detail)), status } };
    }
  }
  if (error instanceof QueryFailedError) {
    const problem = fromDatabaseError(error);
    if (problem) return { problem };
  }
  // The database is away (restart, failover, network): nothing was done, come back shortly.
  if (isDatabaseUnavailable(error)) {
    return { problem: { ...fromDomainError(new DomainError('UNAVAILABLE', 'the database is unavailable; nothing was stored, retry shortly')), retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS } };
  }
  if (isFastifyLikeError(error) && error.statusCode >= 400 && error.statusCode < 500) {
    const code = STATUS_CODES[error.statusCode] ?? 'VALIDATION_FAILED';
    return { problem: { ...fromDomainError(new DomainError(code, error.message)), status: error.statusCode } };
  }
  const errorId = randomUUID();
  return {
    problem: {
      type: problemType('INTERNAL'),
      title: 'Internal server error',
      status: 500,
      detail: `An unexpected error occurred; it was logged under error id ${errorId}.`,
      code: 'INTERNAL',
      errorId,
    },
    unexpected: error,
  };
}
