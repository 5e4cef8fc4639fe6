import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DecisionRecord } from '../../src/pricing/decision-journal';
import { PricingService } from '../../src/pricing/pricing.service';

/** The engine's internals the injection wraps (private in PricingService; reached here, in tests only). */
interface EngineInternals {
  price(storeId: string, skuCodes: readonly string[], caller: unknown, requester: { segment: string | null }, ...rest: unknown[]): Promise<unknown>;
  toRecord(...args: unknown[]): DecisionRecord;
}

/**
 * TEST ONLY — a discriminating pricing rule, the thing a fairness audit exists to catch: while installed,
 * every decision the engine makes for a request whose segment is `segment` costs `surcharge` more (price ×
 * (1 + surcharge), in cents), on the hot path and on the counterfactual path alike. Run the app with
 * DECISION_REUSE=false so a surcharged decision is not served to other segments. Returns the uninstaller.
 */
export function injectSegmentSurcharge(app: NestFastifyApplication, segment: string, surcharge: number): () => void {
  const engine = app.get(PricingService) as unknown as EngineInternals;
  const own = engine as unknown as Record<string, unknown>;
  const requesterSegment = new AsyncLocalStorage<string | null>();
  const price = engine.price;
  const toRecord = engine.toRecord;
  own['price'] = function (this: EngineInternals, storeId: string, skuCodes: readonly string[], caller: unknown, requester: { segment: string | null }, ...rest: unknown[]) {
    return requesterSegment.run(requester.segment, () => price.call(this, storeId, skuCodes, caller, requester, ...rest));
  };
  own['toRecord'] = function (this: EngineInternals, ...args: unknown[]): DecisionRecord {
    const record = toRecord.apply(this, args);
    if (requesterSegment.getStore() !== segment) return record;
    return { ...record, price: Math.round(record.price * (1 + surcharge) * 100) / 100 };
  };
  return () => {
    delete own['price'];
    delete own['toRecord'];
  };
}
