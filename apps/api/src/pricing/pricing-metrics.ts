import { Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../monitoring/metrics.service';
import type { DecisionRecord } from './decision-journal';

const REUSED = { outcome: 'reused' } as const;
const NEW = { outcome: 'new' } as const;

/** Pricing's metrics: decisions by variant / reason / model, reuse, inference time, fallbacks, price index. */
@Injectable()
export class PricingMetrics {
  private readonly decisions: Counter<'variant' | 'reason' | 'model_version'>;
  private readonly served: Counter<'outcome'>;
  private readonly inference: Histogram<'model_version'>;
  private readonly inferenceRows: Histogram<'model_version'>;
  private readonly fallbacks: Counter<'model_version'>;
  private readonly priceIndex: Histogram<'variant'>;

  constructor(metrics: MetricsService) {
    this.decisions = metrics.counter('dynaprice_decisions_total', 'New price decisions by variant, reason and model version.', ['variant', 'reason', 'model_version']);
    this.served = metrics.counter('dynaprice_decision_lines_total', 'Priced basket lines by outcome: new decision or reused one.', ['outcome']);
    this.inference = metrics.histogram('dynaprice_model_inference_seconds', 'Time of one batched model call.', ['model_version'], [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]);
    this.inferenceRows = metrics.histogram('dynaprice_model_inference_rows', 'Rows scored per batched model call.', ['model_version'], [1, 10, 50, 100, 500, 1000, 5000, 20000]);
    this.fallbacks = metrics.counter('dynaprice_model_fallbacks_total', 'SKUs priced by the legacy rule because the model failed or ran out of time.', ['model_version']);
    this.priceIndex = metrics.histogram('dynaprice_price_index', 'Decided price / list price.', ['variant'], [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1, 1.05, 1.1, 1.2]);
  }

  recordRequest(lines: ReadonlyArray<{ decision?: DecisionRecord; reused: boolean }>): void {
    let reused = 0;
    for (const line of lines) {
      if (line.reused) {
        reused += 1;
        continue;
      }
      const record = line.decision;
      if (!record) continue;
      this.decisions.inc({ variant: record.variant, reason: record.reason, model_version: record.modelVersion ?? 'none' });
      this.priceIndex.observe({ variant: record.variant }, record.price / record.listPrice);
    }
    // Once per outcome, not once per line: a warm basket is twenty reused lines.
    if (reused > 0) this.served.inc(REUSED, reused);
    if (lines.length > reused) this.served.inc(NEW, lines.length - reused);
  }

  recordInference(modelVersion: string, rows: number, seconds: number): void {
    this.inference.observe({ model_version: modelVersion }, seconds);
    this.inferenceRows.observe({ model_version: modelVersion }, rows);
  }

  recordFallback(skus: number, modelVersion: string): void {
    this.fallbacks.inc({ model_version: modelVersion }, skus);
  }
}
