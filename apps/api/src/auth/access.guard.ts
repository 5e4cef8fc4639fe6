import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@dynaprice/kernel';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorize, storeScopeProblem } from './access-policy';
import { ACCESS_KEY, type RouteAccess } from './permissions';
import { requestSecurity } from './principal';

export const WWW_AUTHENTICATE = 'Bearer realm="dynaprice", ApiKey realm="dynaprice"';

/**
 * The global guard (APP_GUARD): every Nest route, whoever adds it, is checked against its
 * `@Public()` / `@RequirePermission(…)` declaration and PERMISSION_MATRIX. No declaration: refused
 * for every caller. The credential itself was read by the onRequest hook (http-security.ts).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return false;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    const state = requestSecurity(request);
    const route = `${request.method} ${request.routeOptions.url ?? 'unmatched'}`;
    try {
      const principal = authorize(access, state.auth, { route });
      const scope = storeScopeProblem(access, principal, { method: request.method, route, body: request.body, params: request.params, query: request.query });
      if (scope) throw scope;
      return true;
    } catch (error) {
      if (error instanceof DomainError) {
        state.denial = error.message;
        if (error.code === 'UNAUTHENTICATED') void http.getResponse<FastifyReply>().header('www-authenticate', WWW_AUTHENTICATE);
      }
      throw error;
    }
  }
}
