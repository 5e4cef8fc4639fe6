import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { PROBLEM_CONTENT_TYPE, toProblem, type ProblemDetails } from './problem';

/** Writes a problem, logging server faults in full under their error id. */
export function sendProblem(logger: Logger, error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { problem, unexpected } = toProblem(error);
  const body: ProblemDetails = { ...problem, instance: request.url.split('?')[0], requestId: String(request.id) };
  if (unexpected !== undefined) logger.error({ err: unexpected, errorId: problem.errorId, reqId: request.id }, 'unexpected error');
  if (body.retryAfterSeconds !== undefined) void reply.header('retry-after', String(body.retryAfterSeconds));
  void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}

/** The one global filter: every error of a Nest handler leaves as application/problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(this.logger, error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
