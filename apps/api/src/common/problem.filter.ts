import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
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

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refused before Fastify saw it (headers
 * or URL over 16 KB, a malformed request line, a timeout) is answered as a problem too, then the
 * connection is closed, as Node does.
 */
export function writeClientErrorProblem(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const detail = status === 408 ? 'the request did not arrive in time' : status === 431 ? 'the request line and headers exceed 16 KB' : 'malformed HTTP request';
  const body = JSON.stringify(toProblem({ statusCode: status, message: detail }).problem);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
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
