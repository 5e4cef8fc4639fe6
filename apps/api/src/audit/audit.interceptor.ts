import { type CallHandler, type ExecutionContext, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type Observable, tap } from 'rxjs';
import { requestSecurity } from '../auth/principal';

interface PricedLine {
  decisionId?: unknown;
  reason?: unknown;
  variant?: unknown;
  modelVersion?: unknown;
  reused?: unknown;
}

/** The priced lines of an answer (`items[].decisionId`), if it is a pricing answer. */
function pricedLines(body: unknown): PricedLine[] | null {
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items) || items.length === 0) return null;
  const lines = items as PricedLine[];
  return lines.every((line) => typeof line === 'object' && line !== null && typeof line.decisionId === 'string') ? lines : null;
}

function countBy(lines: readonly PricedLine[], key: keyof PricedLine): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    const value = String(line[key] ?? 'none');
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

/**
 * For answers that carry price decisions: hands their ids to the audit record, and writes one
 * decision-summary log line (payload hash, lines, reasons, variants, model versions, reuse) — never
 * the body, so never a customer id.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('PriceDecisions');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return next.handle().pipe(
      tap((body: unknown) => {
        const lines = pricedLines(body);
        if (!lines) return;
        const state = requestSecurity(request);
        state.decisionIds = lines.map((line) => line.decisionId as string);
        this.logger.log({
          msg: 'price decisions',
          route: request.routeOptions.url,
          storeId: (body as { storeId?: unknown }).storeId,
          payloadHash: state.payloadHash,
          lines: lines.length,
          reused: lines.filter((line) => line.reused === true).length,
          reasons: countBy(lines, 'reason'),
          variants: countBy(lines, 'variant'),
          modelVersions: countBy(lines, 'modelVersion'),
        });
      }),
    );
  }
}
