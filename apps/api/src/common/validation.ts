import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldProblem } from '@dynaprice/kernel';
import { memoizeValidationMetadata } from './validation-metadata-cache';

/**
 * Constraints that say what kind of value a field must be. Listed first for a field: class-validator
 * reports a field's failures in decorator order, so `"quantity": "two"` led with "must not be greater
 * than 100000" before "must be a number".
 */
const TYPE_CONSTRAINTS: ReadonlySet<string> = new Set([
  'isNumber', 'isInt', 'isString', 'isBoolean', 'isArray', 'isObject', 'isDate', 'isDateString', 'isISO8601', 'isUUID', 'isEnum', 'isIn',
  'nestedValidation', 'whitelistValidation', 'unknownValue',
]);

function typeFirst([a]: [string, string], [b]: [string, string]): number {
  return Number(TYPE_CONSTRAINTS.has(b)) - Number(TYPE_CONSTRAINTS.has(a));
}

/** class-validator's error tree → `items[3].unitCost`-style field problems, a field's type problem first. */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const path = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    for (const [, message] of Object.entries(error.constraints ?? {}).sort(typeFirst)) {
      // class-validator starts messages with the bare property name; the full path says more.
      const withoutProperty = message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message;
      problems.push({ field: path, message: withoutProperty });
    }
    if (error.children?.length) problems.push(...flattenValidationErrors(error.children, path));
  }
  return problems;
}

export function validationFailure(problems: readonly FieldProblem[]): DomainError {
  const first = problems[0];
  const detail = first ? `${first.field}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}` : 'invalid request';
  return new DomainError('VALIDATION_FAILED', detail, problems.slice(0, 100));
}

/**
 * Deepest nesting a body, query or path value may have. No DTO comes near it; class-transformer and
 * class-validator recurse once per level, so a body nested 10,000 deep overflowed the stack (a 500).
 */
export const MAX_INPUT_DEPTH = 32;

/** A value met while checking a request value: its path is only spelled out when it is reported. */
interface Visit {
  node: unknown;
  depth: number;
  parent: Visit | null;
  key: string | number;
}

function pathOf(visit: Visit): string {
  const keys: Array<string | number> = [];
  for (let at: Visit | null = visit; at?.parent; at = at.parent) keys.push(at.key);
  let path = '';
  for (let index = keys.length - 1; index >= 0; index--) {
    const key = keys[index] as string | number;
    path = typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
  }
  return path;
}

/**
 * Where a request value cannot be taken as it is, or null: nested deeper than `limit`, or a string
 * holding U+0000, which PostgreSQL text cannot store (the query failed: a 500). Iterative: any depth
 * is safe to check. Every request body passes through it, so no path is built unless one is reported.
 */
export function unsafeInputAt(value: unknown, limit = MAX_INPUT_DEPTH): FieldProblem | null {
  const stack: Visit[] = [{ node: value, depth: 0, parent: null, key: '' }];
  while (stack.length > 0) {
    const visit = stack.pop() as Visit;
    const { node, depth } = visit;
    if (typeof node === 'string') {
      if (node.includes('\u0000')) return { field: pathOf(visit), message: 'must not contain the NUL character (U+0000)' };
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (depth >= limit) return { field: pathOf(visit), message: `is nested more than ${limit} levels deep` };
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) if (index in node) stack.push({ node: node[index], depth: depth + 1, parent: visit, key: index });
    } else {
      for (const key of Object.keys(node)) stack.push({ node: (node as Record<string, unknown>)[key], depth: depth + 1, parent: visit, key });
    }
  }
  return null;
}

/**
 * A body DTO on a hot path may declare `static accept(value)`: a hand-written check that accepts
 * exactly what its decorators accept and returns what class-transformer would build, or null. The
 * pipe tries it first (class-transformer and class-validator cost ~13 % of a reused-price request);
 * whatever it does not accept goes through class-validator, which says why. So errors read the same
 * either way, and the check only has to be right about what it accepts: a property test per DTO
 * holds it to the decorators.
 */
export interface AcceptingDto<T> {
  accept(value: unknown): T | null;
}

/** The global pipe: refuses over-deep input and NUL characters before class-transformer sees them, then validates. */
class BoundedValidationPipe extends ValidationPipe {
  constructor(
    options: ConstructorParameters<typeof ValidationPipe>[0],
    private readonly useAcceptors: boolean,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const problem = unsafeInputAt(value);
      if (problem !== null) {
        const field = problem.field || metadata.data || metadata.type;
        throw validationFailure([{ field: field.length > 60 ? `${field.slice(0, 60)}…` : field, message: problem.message }]);
      }
    }
    if (this.useAcceptors && metadata.type === 'body') {
      const accept = (metadata.metatype as Partial<AcceptingDto<unknown>> | undefined)?.accept;
      const accepted = typeof accept === 'function' ? accept.call(metadata.metatype, value) : null;
      if (accepted !== null) return accepted;
    }
    return super.transform(value, metadata);
  }
}

/**
 * Strict validation: unknown fields refused, no implicit type conversion (a string is not a number), bounded nesting, no NUL.
 * `useAcceptors: false` validates every body with class-validator (the reference the DTOs' `accept` checks are tested against).
 */
export function createValidationPipe({ useAcceptors = true }: { useAcceptors?: boolean } = {}): ValidationPipe {
  memoizeValidationMetadata();
  return new BoundedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailure(flattenValidationErrors(errors)),
  }, useAcceptors);
}
