import { DEMAND_FEATURES } from '@dynaprice/pricing';
import { Injectable, Logger, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { DecisionJournal } from '../pricing/decision-journal';
import { MetricsService } from './metrics.service';

/**
 * Label values name things of the model or of the audit configuration, never data: a feature must be one of
 * the demand model's features, a model version or an attribute name a short identifier (no free text, no
 * JSON, no segment value lists). Anything else is dropped and logged (by length only), not exported.
 */
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;
const FEATURES: ReadonlySet<string> = new Set(DEMAND_FEATURES.map((feature) => feature.name));

/** Sources of the ingestion endpoints whose lag is measured. */
export type IngestionSource = 'sales' | 'waste';
export const INGESTION_SOURCES: readonly IngestionSource[] = ['sales', 'waste'];

/** What drift monitoring reports for one model: PSI per feature of its live window. */
export interface DriftSnapshot {
  readonly modelVersion: string;
  readonly features: ReadonlyArray<{ readonly feature: string; readonly psi: number }>;
}

/** What a fairness audit reports: its verdict and the stratified relative price-index gap per attribute. */
export interface FairnessSnapshot {
  readonly status: 'pass' | 'fail' | 'insufficient-data';
  readonly attributes: ReadonlyArray<{ readonly attribute: string; readonly gap: number | null }>;
}

const DATABASE_PROBE_TIMEOUT_MS = 2_000;

/**
 * The domain metrics that are not owned by one module's hot path: drift (PSI per feature), the latest
 * fairness audit, ingestion lag, and the decision journal / database health. Declared here, in one place,
 * so they exist on /metrics from the start; drift monitoring, fairness audits and the ingestion endpoints
 * set them through the record* methods. Every name is in docs/metrics.md.
 */
@Injectable()
export class DomainMetrics {
  private readonly logger = new Logger(DomainMetrics.name);
  private readonly featurePsi: Gauge<'model_version' | 'feature'>;
  private readonly fairnessGap: Gauge<'attribute'>;
  private readonly fairnessFailed: Gauge;
  private readonly ingestionLag: Histogram<'source'>;
  private readonly providers = new Map<Type<unknown>, unknown>();

  constructor(
    metrics: MetricsService,
    private readonly moduleRef: ModuleRef,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.featurePsi = metrics.gauge('dynaprice_feature_psi', 'Population stability index of a live feature against the model card reference, latest drift window.', [
      'model_version',
      'feature',
    ]);
    this.fairnessGap = metrics.gauge('dynaprice_fairness_gap', 'Stratified relative price-index gap between segments of an attribute, latest fairness audit (0.02 = 2 %).', [
      'attribute',
    ]);
    this.fairnessFailed = metrics.gauge('dynaprice_fairness_audit_failed', '1 when the latest fairness audit failed, else 0 (passed, insufficient data, or none run yet).', []);
    this.fairnessFailed.set(0);
    this.ingestionLag = metrics.histogram(
      'dynaprice_ingestion_lag_seconds',
      'Received time minus event time of ingested sales and waste records.',
      ['source'],
      [1, 10, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86_400, 2 * 86_400, 7 * 86_400],
    );
    for (const source of INGESTION_SOURCES) this.ingestionLag.zero({ source });

    metrics.collectedGauge('dynaprice_decision_journal_backlog', 'Decision journal records (decisions and requests) not yet written to the database.', () => {
      const journal = this.optionalProvider(DecisionJournal);
      return journal ? journal.backlog : null;
    });
    metrics.collectedGauge(
      'dynaprice_decision_journal_flush_failing',
      '1 while the decision journal cannot write its backlog to the database (its last attempt failed), else 0.',
      () => {
        const journal = this.optionalProvider(DecisionJournal);
        return journal ? (journal.lastFlushError === null ? 0 : 1) : null;
      },
    );
    metrics.collectedGauges(
      'dynaprice_journal_rejected_records',
      'Journal records the database refused (a value or constraint, not an outage), set aside on local disk for an operator; 0 when healthy.',
      ['journal'],
      () => {
        const series: Array<{ labels: { journal: string }; value: number }> = [];
        const decisions = this.optionalProvider(DecisionJournal);
        const audit = this.optionalProvider(AuditLog);
        if (decisions) series.push({ labels: { journal: 'decisions' }, value: decisions.rejectedRecords() });
        if (audit) series.push({ labels: { journal: 'audit' }, value: audit.rejectedRecords() });
        return series;
      },
    );
    metrics.collectedGauge('dynaprice_database_up', `1 when the database answered SELECT 1 within ${DATABASE_PROBE_TIMEOUT_MS} ms at scrape time, else 0.`, async () =>
      (await this.probeDatabase()) ? 1 : 0,
    );
  }

  /** Latest drift report of one model: replaces every PSI series (older model versions disappear). */
  recordDrift(snapshot: DriftSnapshot): void {
    if (!this.validLabel('model_version', snapshot.modelVersion)) return;
    this.featurePsi.reset();
    for (const { feature, psi } of snapshot.features) {
      if (this.validLabel('feature', feature) && Number.isFinite(psi)) this.featurePsi.set({ model_version: snapshot.modelVersion, feature }, psi);
    }
  }

  /** Latest fairness audit: gap per attribute (attributes without a gap are left out) and the verdict. */
  recordFairnessAudit(snapshot: FairnessSnapshot): void {
    this.fairnessGap.reset();
    for (const { attribute, gap } of snapshot.attributes) {
      if (this.validLabel('attribute', attribute) && gap !== null && Number.isFinite(gap)) this.fairnessGap.set({ attribute }, gap);
    }
    this.fairnessFailed.set(snapshot.status === 'fail' ? 1 : 0);
  }

  /** One ingested record: lag = received − event time, in seconds (a future event time counts as 0). */
  recordIngestion(source: IngestionSource, eventTime: Date | string | number, receivedAt: Date | number = Date.now()): void {
    const event = eventTime instanceof Date ? eventTime.getTime() : typeof eventTime === 'string' ? Date.parse(eventTime) : eventTime;
    const received = receivedAt instanceof Date ? receivedAt.getTime() : receivedAt;
    if (!Number.isFinite(event) || !Number.isFinite(received)) return;
    this.ingestionLag.observe({ source }, Math.max(0, received - event) / 1000);
  }

  /** A provider of another module, or null in an application without it (some tests): no series then. */
  private optionalProvider<T>(type: Type<T>): T | null {
    if (!this.providers.has(type)) {
      let provider: T | null = null;
      try {
        provider = this.moduleRef.get(type, { strict: false });
      } catch {
        // Not part of this application.
      }
      this.providers.set(type, provider);
    }
    return this.providers.get(type) as T | null;
  }

  private async probeDatabase(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), DATABASE_PROBE_TIMEOUT_MS);
      });
      return await Promise.race([this.dataSource.query('SELECT 1').then(() => true), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private validLabel(label: 'model_version' | 'feature' | 'attribute', value: string): boolean {
    if (IDENTIFIER.test(value) && (label !== 'feature' || FEATURES.has(value))) return true;
    this.logger.warn({ msg: 'metric label value refused (not an identifier)', label, length: value.length });
    return false;
  }
}
