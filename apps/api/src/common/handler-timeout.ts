import { DomainError } from '@dynaprice/kernel';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const HANDLER_TIMEOUT_DETAIL = 'the request took too long to answer; try again';

/**
 * HANDLER_TIMEOUT_MS: a request not answered within `timeoutMs` of arriving is answered with a 503
 * problem (or, if its answer had already started, cut off). Fastify's own `handlerTimeout` gives
 * every request an AbortController and aborts it when the request closes, which builds a
 * DOMException with a stack trace per request: ~8 % of the CPU of the smallest authenticated call.
 * Here one sweep per second (at most) walks the requests in flight instead; a timeout fires up to one
 * sweep late, which a limit counted in seconds can afford. Call before the routes' own hooks.
 */
export function installHandlerTimeout(fastify: FastifyInstance, timeoutMs: number, sweepEveryMs = Math.min(1_000, timeoutMs)): void {
  const inFlight = new Set<FastifyReply>();
  fastify.addHook('onRequest', (_request, reply, done) => {
    inFlight.add(reply);
    done();
  });
  fastify.addHook('onResponse', (_request, reply, done) => {
    inFlight.delete(reply);
    done();
  });
  const sweep = setInterval(() => {
    for (const reply of inFlight) {
      // Answered, hijacked, or its client gone (no onResponse then): nothing left to time.
      if (reply.sent || reply.raw.destroyed) {
        inFlight.delete(reply);
        continue;
      }
      if (reply.elapsedTime < timeoutMs) continue;
      inFlight.delete(reply);
      const error = new DomainError('UNAVAILABLE', HANDLER_TIMEOUT_DETAIL);
      // A streamed answer that already sent its headers cannot become a problem: end it instead.
      if (reply.raw.headersSent) reply.raw.destroy(error);
      else void reply.send(error);
    }
  }, sweepEveryMs);
  sweep.unref();
  fastify.addHook('onClose', (_instance, done) => {
    clearInterval(sweep);
    done();
  });
}
