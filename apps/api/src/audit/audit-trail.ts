import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { uuidv7 } from '@dynaprice/kernel';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROUTE_ACCESS_CONFIG, type RouteAccess } from '../auth/permissions';
import { requestSecurity } from '../auth/principal';
import { AuditLog, type AuditRecord } from './audit-log';
import { auditSubjects } from './audit-subjects';

/** The audit record of one answered request. Never the body: its keyed hash only. */
export function auditRecordOf(request: FastifyRequest, reply: FastifyReply, now = Date.now()): AuditRecord {
  const state = requestSecurity(request);
  const principal = state.auth.status === 'ok' ? state.auth.principal : null;
  const startedAt = now - reply.elapsedTime;
  const route = (request.routeOptions.url ?? 'unmatched').slice(0, 300);
  const access = ((request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[ROUTE_ACCESS_CONFIG] as RouteAccess | undefined) ?? null;
  const subjects = auditSubjects(route, access, request);
  const detail = state.denial ?? (reply.statusCode === 429 ? 'rate limited' : null);
  return {
    id: uuidv7(startedAt),
    at: new Date(startedAt).toISOString(),
    requestId: String(request.id),
    caller: principal?.label ?? 'anonymous',
    callerKind: principal?.kind ?? 'anonymous',
    callerId: principal?.id ?? null,
    role: principal?.role ?? null,
    method: request.method.slice(0, 10),
    route,
    status: reply.statusCode,
    detail: detail === null ? null : detail.slice(0, 200),
    payloadHash: state.payloadHash,
    sourceIp: (request.ip ?? 'unknown').slice(0, 64),
    durationMs: Math.round(reply.elapsedTime * 10) / 10,
    priceRequestId: state.priceRequest?.id ?? null,
    priceRequestedAt: state.priceRequest?.requestedAt ?? null,
    storeIds: subjects.storeIds,
    skuCodes: subjects.skuCodes,
  };
}

/** Every answered call leaves an audit record (onResponse: after the answer left). Call before app.init. */
export function installAuditTrail(app: NestFastifyApplication): void {
  const log = app.get(AuditLog);
  const logger = new Logger('AuditTrail');
  app.getHttpAdapter().getInstance().addHook('onResponse', (request, reply, done) => {
    try {
      log.record(auditRecordOf(request, reply));
    } catch (error) {
      logger.error({ msg: 'audit record not written', reqId: request.id, error: error instanceof Error ? error.message : String(error) });
    }
    done();
  });
}
