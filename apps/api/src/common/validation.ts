import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldProblem } from '@dynaprice/kernel';

/** class-validator's error tree → `items[3].unitCost`-style field problems. */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const path = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
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

/** Strict validation: unknown fields refused, no implicit type conversion (a string is not a number). */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailure(flattenValidationErrors(errors)),
  });
}
