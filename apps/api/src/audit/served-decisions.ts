import { Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { requestSecurity } from '../auth/principal';
import type { PriceRequestLink } from '../pricing/decision-journal';

/** What the audit trail reads of a priced line. */
export interface ServedLine {
  readonly decisionId: string;
  readonly reason: string;
  readonly variant: string;
  readonly modelVersion: string | null;
  readonly reused: boolean;
}

const logger = new Logger('PriceDecisions');

function tally(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/**
 * Called by the pricing routes with their answer: hands the key of the request record that holds its
 * decision ids (price_requests) to the request's audit record (written by the onResponse hook,
 * audit-trail.ts), and writes one decision-summary log line (payload hash, lines, reasons, variants,
 * model versions, reuse) — never the body, so never a customer id. A call rather than a global
 * interceptor: an interceptor put every route of the API through an Observable pipeline for the sake of two.
 */
export function noteServedDecisions(request: FastifyRequest, answer: { readonly storeId: string; readonly items: readonly ServedLine[] }, priceRequest: PriceRequestLink | null): void {
  if (answer.items.length === 0) return;
  const state = requestSecurity(request);
  state.priceRequest = priceRequest;
  const reasons: Record<string, number> = {};
  const variants: Record<string, number> = {};
  const modelVersions: Record<string, number> = {};
  let reused = 0;
  for (const line of answer.items) {
    tally(reasons, line.reason);
    tally(variants, line.variant);
    tally(modelVersions, line.modelVersion ?? 'none');
    if (line.reused) reused += 1;
  }
  logger.log({ msg: 'price decisions', route: request.routeOptions.url, storeId: answer.storeId, payloadHash: state.payloadHash, lines: answer.items.length, reused, reasons, variants, modelVersions });
}
