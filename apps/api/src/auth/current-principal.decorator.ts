import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DomainError } from '@dynaprice/kernel';
import type { FastifyRequest } from 'fastify';
import { principalOf } from './principal';
import { MISSING_CREDENTIALS } from './access-policy';

/** The authenticated caller of a route that requires a permission. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const principal = principalOf(context.switchToHttp().getRequest<FastifyRequest>());
  if (!principal) throw new DomainError('UNAUTHENTICATED', MISSING_CREDENTIALS);
  return principal;
});

/** The caller's address (X-Forwarded-For only counts when TRUST_PROXY is set). */
export const SourceIp = createParamDecorator((_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<FastifyRequest>().ip);
