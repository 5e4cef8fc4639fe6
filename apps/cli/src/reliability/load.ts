import { randomInt } from 'node:crypto';
import { HttpClient, isFailure, jsonOf, type HttpResult } from './http';
import { eventRefs, Ledger } from './ledger';
import { responseViolations } from './problem-check';
import { Tally } from './tally';

export interface LoadOptions {
  baseUrl: string;
  posKey: string;
  stores: readonly string[];
  skus: readonly string[];
  /** Price requests per second. */
  priceRate: number;
  /** Sales batches per second. */
  salesRate: number;
  batchSize: number;
  /** Prefix of request ids and idempotency keys, unique per run. */
  prefix: string;
  /** The client's timeout per sales attempt (ms); a function so that it can vary. */
  salesTimeoutMs: () => number;
  priceTimeoutMs: number;
  retryDelayMs: number;
  /** After an acknowledgement, send the same batch once more (a client that did not hear the answer): it must create nothing. */
  resendAcknowledged?: boolean;
  /** Send some batches twice at the same moment. */
  concurrentDuplicates?: boolean;
  /** Requests in flight at most (the generator holds back while the API is away). */
  maxInFlight?: number;
}

interface Batch {
  id: number;
  body: string;
  json: { events: Array<Record<string, unknown>> };
  attempts: number;
  acknowledged: boolean;
}

/**
 * A steady stream of price requests and sales batches against one API, at fixed rates, as a POS
 * fleet would send them: every sales batch is retried (same keys, same times) until the API
 * acknowledges it; everything acknowledged goes into the ledger.
 */
export class LoadGenerator {
  readonly tally = new Tally();
  readonly ledger = new Ledger();
  /** Client timeouts that were followed by a retry (the faults of the retrying client). */
  timeoutsRetried = 0;
  private readonly client: HttpClient;
  private readonly batches: Batch[] = [];
  private readonly retryQueue: Batch[] = [];
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private pricesLaunched = 0;
  private batchesLaunched = 0;
  private inFlight = 0;
  private readonly idle: Array<() => void> = [];
  private readonly recentDecisions: Array<{ storeId: string; skuCode: string; id: string }> = [];

  constructor(private readonly options: LoadOptions) {
    this.client = new HttpClient(options.baseUrl, 64);
  }

  start(): void {
    this.startedAt = performance.now();
    this.timer = setInterval(() => this.tick(), 10);
  }

  /** Stops sending new requests; waits for those in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.settled();
  }

  /** Retries every batch not yet acknowledged until it is, or until the deadline. */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const open = this.batches.filter((batch) => !batch.acknowledged);
      if (open.length === 0 || Date.now() > deadline) return open.length;
      this.retryQueue.length = 0;
      // A patient client now: the API may be slower than the impatient one's timeout.
      await Promise.all(open.map((batch) => this.sendBatch(batch, false, 30_000)));
      await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs));
    }
  }

  close(): void {
    this.client.close();
  }

  get batchesSent(): number {
    return this.batches.length;
  }

  private settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight++;
    return work.finally(() => {
      this.inFlight--;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    });
  }

  private tick(): void {
    const elapsed = (performance.now() - this.startedAt) / 1000;
    const cap = this.options.maxInFlight ?? 64;
    while (this.pricesLaunched < elapsed * this.options.priceRate) {
      this.pricesLaunched++;
      if (this.inFlight >= cap) continue;
      void this.track(this.sendPrices());
    }
    while (this.batchesLaunched < elapsed * this.options.salesRate) {
      this.batchesLaunched++;
      if (this.inFlight >= cap) continue;
      const batch = this.newBatch();
      void this.track(this.sendBatch(batch, true));
      if (this.options.concurrentDuplicates && batch.id % 5 === 0) void this.track(this.sendBatch(batch, false));
    }
    const now = Date.now();
    while (this.retryQueue.length > 0 && this.inFlight < cap) {
      const batch = this.retryQueue.shift() as Batch;
      if (!batch.acknowledged) void this.track(this.sendBatch(batch, false));
      if (Date.now() - now > 5) break;
    }
  }

  private pick<T>(values: readonly T[]): T {
    return values[randomInt(values.length)] as T;
  }

  private async sendPrices(): Promise<void> {
    const storeId = this.pick(this.options.stores);
    const size = 1 + randomInt(20);
    const skus = new Set<string>();
    while (skus.size < Math.min(size, this.options.skus.length)) skus.add(this.pick(this.options.skus));
    const requestId = `${this.options.prefix}-p${this.pricesLaunched}-${randomInt(1e9)}`;
    const body = { storeId, items: [...skus].map((skuCode) => ({ skuCode })), ...(randomInt(4) === 0 ? { customerId: `c-${randomInt(1000)}`, segment: this.pick(['gold', 'silver']) } : {}) };
    const response = await this.client.send({
      method: 'POST',
      url: '/v1/prices',
      headers: { 'content-type': 'application/json', 'x-api-key': this.options.posKey, 'x-request-id': requestId },
      body: JSON.stringify(body),
      timeoutMs: this.options.priceTimeoutMs,
    });
    this.tally.record(response, 'POST /v1/prices');
    if (isFailure(response)) return;
    if (response.status !== 200) {
      if (response.status < 500) this.tally.contract(`POST /v1/prices → ${response.status} ${response.text.slice(0, 200)} ${responseViolations(response).join('; ')}`);
      return;
    }
    const items = (jsonOf(response) as { items?: Array<{ decisionId?: string; skuCode?: string }> } | undefined)?.items ?? [];
    const ids = items.map((item) => item.decisionId).filter((id): id is string => typeof id === 'string');
    this.ledger.pricesAnswered(requestId, ids);
    for (const item of items) {
      if (item.decisionId && item.skuCode) this.recentDecisions.push({ storeId, skuCode: item.skuCode, id: item.decisionId });
    }
    if (this.recentDecisions.length > 500) this.recentDecisions.splice(0, this.recentDecisions.length - 500);
  }

  private newBatch(): Batch {
    const id = this.batches.length;
    const now = Date.now();
    const events: Array<Record<string, unknown>> = [];
    for (let i = 0; i < this.options.batchSize; i++) {
      const linked = this.recentDecisions.length > 0 && randomInt(3) === 0 ? this.pick(this.recentDecisions) : null;
      events.push({
        idempotencyKey: `${this.options.prefix}-b${id}-${i}`,
        storeId: linked?.storeId ?? this.pick(this.options.stores),
        skuCode: linked?.skuCode ?? this.pick(this.options.skus),
        quantity: 1 + randomInt(3),
        unitPrice: Number((0.5 + randomInt(500) / 100).toFixed(2)),
        soldAt: new Date(now - randomInt(60_000)).toISOString(),
        ...(linked ? { decisionId: linked.id } : {}),
        ...(randomInt(5) === 0 ? { customerId: `c-${randomInt(1000)}`, segment: 'gold' } : {}),
      });
    }
    const json = { events };
    const batch: Batch = { id, body: JSON.stringify(json), json, attempts: 0, acknowledged: false };
    this.batches.push(batch);
    return batch;
  }

  private async sendBatch(batch: Batch, first: boolean, timeoutOverrideMs?: number): Promise<void> {
    const refs = eventRefs(batch.json, 'soldAt');
    if (first) this.ledger.eventsSent('sales', refs);
    batch.attempts++;
    const timeoutMs = timeoutOverrideMs ?? this.options.salesTimeoutMs();
    const response: HttpResult = await this.client.send({
      method: 'POST',
      url: '/v1/sales',
      headers: { 'content-type': 'application/json', 'x-api-key': this.options.posKey },
      body: batch.body,
      timeoutMs,
    });
    this.tally.record(response, 'POST /v1/sales');
    if (!isFailure(response) && response.status === 200) {
      const result = jsonOf(response) as { received?: number; created?: number; duplicates?: number } | undefined;
      const wasAcknowledged = batch.acknowledged;
      batch.acknowledged = true;
      this.ledger.eventsAccepted('sales', refs, result?.created ?? 0);
      if (wasAcknowledged && (result?.created ?? 0) > 0) this.ledger.contradictions.push(`batch ${batch.id} was acknowledged before, yet its resend created ${result?.created} rows`);
      if (!wasAcknowledged && this.options.resendAcknowledged) {
        // The resend of a batch already stored: nothing may be created again.
        const again = await this.client.send({ method: 'POST', url: '/v1/sales', headers: { 'content-type': 'application/json', 'x-api-key': this.options.posKey }, body: batch.body, timeoutMs: 30_000 });
        this.tally.record(again, 'POST /v1/sales (resend)');
        const repeat = jsonOf(again) as { created?: number; duplicates?: number } | undefined;
        if (!isFailure(again) && again.status === 200 && (repeat?.created !== 0 || repeat?.duplicates !== batch.json.events.length)) {
          this.ledger.contradictions.push(`resend of acknowledged batch ${batch.id} answered created ${repeat?.created}, duplicates ${repeat?.duplicates}`);
        }
      }
      return;
    }
    const retry = isFailure(response) || response.status >= 500 || response.status === 429;
    if (retry) {
      if (isFailure(response) && response.timedOut) this.timeoutsRetried++;
      if (timeoutOverrideMs === undefined) setTimeout(() => this.retryQueue.push(batch), this.options.retryDelayMs).unref();
      return;
    }
    // A refusal of a well-formed batch: the API lost the store or SKU, or broke its own rules.
    this.ledger.eventsRefused('sales', refs);
    this.tally.contract(`POST /v1/sales batch ${batch.id} → ${response.status} ${response.text.slice(0, 300)}`);
  }
}
