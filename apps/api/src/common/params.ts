import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '@dynaprice/kernel';

/** `:id` path parameters that must be UUIDs: a malformed one is a 400 naming the parameter. */
export function uuidParam(name = 'id'): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => DomainError.validation(name, 'must be a UUID') });
}
