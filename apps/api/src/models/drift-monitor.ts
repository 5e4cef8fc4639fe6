import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LiveFeatureWindow, referenceFromCard, type CardReferenceLike, type DriftReport, type FeatureReference } from '@dynaprice/drift';
import { uuidv7 } from '@dynaprice/kernel';
import { DEMAND_FEATURE_COUNT, DEMAND_FEATURES } from '@dynaprice/pricing';
import type { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainMetrics } from '../monitoring/domain-metrics';
import { MetricsService } from '../monitoring/metrics.service';
import { ModelRegistry } from './model-registry.service';
import { RetrainingService } from './retraining.service';
import { ServedModels } from './served-models';

const HOUR_MS = 3_600_000;
/** Rows kept per version while its card loads (the first request of a new version). */
const MAX_PENDING_ROWS = 20_000;

/** What the pricing hot path hands over: one priced decision's model version and feature row. */
export interface ObservedDecision {
  readonly modelVersion: string | null;
  readonly features: ArrayLike<number> | null;
}

interface Monitored {
  readonly kind: 'ready';
  readonly version: string;
  /** Null when the card has no usable reference distribution. */
  readonly window: LiveFeatureWindow | null;
  readonly unavailable: string | null;
  /** Served column of each window feature. */
  readonly columns: Int32Array;
  scratch: Float32Array;
  lastSeen: number;
  /** A drift event has been raised and the window has not recovered since. */
  drifted: boolean;
}

interface Loading {
  readonly kind: 'loading';
  readonly rows: Array<{ at: number; row: Float32Array }>;
}

export interface DriftEventSummary {
  id: string;
  detectedAt: string;
  drifted: Array<{ feature: string; psi: number; ks: number | null }>;
  liveRows: number;
  retrainingRunId: string | null;
}

export interface ModelDriftView {
  modelVersion: string;
  /** This instance summarises the version's live feature rows. */
  monitored: boolean;
  status: DriftReport['status'] | 'unavailable';
  detail: string | null;
  window: { hours: number; from: string | null; to: string | null; rows: number };
  thresholds: { psiDrift: number; psiWarn: number; minRows: number };
  features: Array<{
    feature: string;
    kind: 'numeric' | 'categorical';
    status: DriftReport['status'];
    psi: number | null;
    ks: number | null;
    liveRows: number;
    liveMissingShare: number | null;
    referenceMissingShare: number;
  }>;
  drifted: string[];
  warned: string[];
  events: DriftEventSummary[];
}

const finite = (value: number | null): number | null => (value === null || !Number.isFinite(value) ? null : value);

/**
 * Drift of live features (SPEC §10). Pricing hands over the feature row of every NEW decision (at the
 * price it chose, the same row the decision records and retraining learns from; reused decisions are
 * not counted again) with the model version that priced it. Each version has a rolling window of
 * business time (LiveFeatureWindow: fixed memory, hourly buckets) in the layout of its card's reference
 * distributions. Every check interval the windows are compared with the references (PSI and binned KS
 * per feature): the champion's PSI goes to `dynaprice_feature_psi`, and a version whose PSI crosses the
 * threshold raises a drift event (once per episode) that queues retraining.
 */
@Injectable()
export class DriftMonitor implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DriftMonitor.name);
  private readonly versions = new Map<string, Monitored | Loading>();
  private readonly eventsTotal: Counter<'model_version'>;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<ModelDriftView[]> | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ModelRegistry,
    private readonly served: ServedModels,
    private readonly retraining: RetrainingService,
    private readonly domainMetrics: DomainMetrics,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.eventsTotal = metrics.counter('dynaprice_model_drift_events_total', 'Drift events raised (a served model’s feature PSI crossed the threshold), by model version.', ['model_version']);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.check().catch((error: unknown) => this.logger.error({ msg: 'drift check failed', error: String(error) })), this.config.models.drift.checkIntervalMs);
    this.timer.unref();
    // A simulated clock jumps: windows are judged at the new business time before the jump returns.
    this.unsubscribe = this.clock.onAdvance(async (now) => {
      await this.check(now).catch((error: unknown) => this.logger.error({ msg: 'drift check failed', error: String(error) }));
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  private get thresholds(): { psiDrift: number; psiWarn: number; minRows: number } {
    const { psiThreshold, minRows } = this.config.models.drift;
    return { psiDrift: psiThreshold, psiWarn: Math.min(0.1, psiThreshold), minRows };
  }

  /**
   * The hot path's one call: the decisions just made, at business time `at`. Cheap: rows of a version
   * whose window is ready are binned at once; the first rows of a new version wait for its card.
   */
  observe(decisions: readonly ObservedDecision[], at: number): void {
    let current: Monitored | null = null;
    let count = 0;
    for (const decision of decisions) {
      const version = decision.modelVersion;
      const row = decision.features;
      if (version === null || row === null || row.length !== DEMAND_FEATURE_COUNT) continue;
      if (current === null || current.version !== version) {
        if (current !== null) this.flush(current, count, at);
        current = null;
        count = 0;
        const state = this.versions.get(version);
        if (state === undefined || state.kind === 'loading') {
          this.hold(version, state, row, at);
          continue;
        }
        current = state;
      }
      if (!current.window) continue;
      const width = current.columns.length;
      if (current.scratch.length < (count + 1) * width) {
        const grown = new Float32Array(Math.max(current.scratch.length * 2, (count + 1) * width));
        grown.set(current.scratch);
        current.scratch = grown;
      }
      for (let c = 0; c < width; c++) current.scratch[count * width + c] = row[current.columns[c] as number] as number;
      count++;
    }
    if (current !== null) this.flush(current, count, at);
  }

  private flush(state: Monitored, rows: number, at: number): void {
    state.lastSeen = at;
    if (state.window && rows > 0) state.window.addRows(state.scratch, at, rows);
  }

  private hold(version: string, state: Loading | undefined, row: ArrayLike<number>, at: number): void {
    let loading = state;
    if (!loading) {
      loading = { kind: 'loading', rows: [] };
      this.versions.set(version, loading);
      void this.load(version, loading);
    }
    if (loading.rows.length < MAX_PENDING_ROWS) loading.rows.push({ at, row: Float32Array.from(row) });
  }

  private async load(version: string, loading: Loading): Promise<void> {
    let monitored: Monitored;
    try {
      monitored = this.monitorFor(version, (await this.registry.get(version)).card);
    } catch (error) {
      monitored = { kind: 'ready', version, window: null, unavailable: `the card cannot be read: ${String(error)}`, columns: new Int32Array(0), scratch: new Float32Array(0), lastSeen: 0, drifted: false };
    }
    this.versions.set(version, monitored);
    for (const { at, row } of loading.rows) this.observe([{ modelVersion: version, features: row }], at);
  }

  /** A window over the card's reference distributions, in the served column order. */
  private monitorFor(version: string, card: Record<string, unknown>): Monitored {
    const references = Array.isArray(card['referenceDistributions']) ? (card['referenceDistributions'] as Array<Record<string, unknown>>) : [];
    const features: FeatureReference[] = [];
    const columns: number[] = [];
    const skipped: string[] = [];
    DEMAND_FEATURES.forEach((served, column) => {
      const entry = references.find((reference) => reference['feature'] === served.name);
      if (!entry) return;
      try {
        features.push({ name: served.name, reference: referenceFromCard(entry as unknown as CardReferenceLike) });
        columns.push(column);
      } catch {
        skipped.push(served.name);
      }
    });
    const base = { kind: 'ready' as const, version, columns: Int32Array.from(columns), scratch: new Float32Array(columns.length * 64), lastSeen: 0, drifted: false };
    if (features.length === 0) return { ...base, window: null, unavailable: 'the model card has no reference distributions of the served features' };
    if (skipped.length > 0) this.logger.warn({ msg: 'reference distributions skipped (invalid)', version, features: skipped });
    const window = new LiveFeatureWindow(features, { bucketMs: HOUR_MS, buckets: this.config.models.drift.windowHours });
    return { ...base, window, unavailable: null };
  }

  /**
   * Compares every window with its references at business time `now`: updates the PSI metric (champion)
   * and raises a drift event, with a queued retraining, for each version that newly crossed the threshold.
   */
  check(now: number = this.clock.now()): Promise<ModelDriftView[]> {
    if (!this.checking) this.checking = this.checkOnce(now).finally(() => (this.checking = null));
    return this.checking;
  }

  private async checkOnce(now: number): Promise<ModelDriftView[]> {
    const views: ModelDriftView[] = [];
    const champion = this.served.get('champion')?.version ?? null;
    const spanMs = this.config.models.drift.windowHours * HOUR_MS;
    for (const [version, state] of [...this.versions]) {
      if (state.kind !== 'ready') continue;
      // A version nobody priced with for two windows is forgotten (its rows have left the window anyway).
      if (version !== champion && state.lastSeen < now - 2 * spanMs) {
        this.versions.delete(version);
        continue;
      }
      if (!state.window) continue;
      const report = state.window.report(this.thresholds, now);
      if (version === champion) {
        this.domainMetrics.recordDrift({ modelVersion: version, features: report.features.map((f) => ({ feature: f.feature, psi: f.psi })) });
      }
      if (report.status === 'drifted' && !state.drifted) {
        state.drifted = true;
        await this.raise(version, report, now);
      } else if (report.status === 'ok' || report.status === 'warn') {
        state.drifted = false;
      }
      views.push(await this.view(version, now));
    }
    return views;
  }

  private async raise(version: string, report: DriftReport, now: number): Promise<void> {
    const drifted = report.features.filter((f) => f.status === 'drifted').map((f) => ({ feature: f.feature, psi: f.psi, ks: f.ks }));
    const liveRows = Math.max(0, ...report.features.map((f) => f.liveRows));
    this.eventsTotal.inc({ model_version: version });
    this.logger.warn({ msg: 'feature drift', version, drifted: drifted.map((f) => `${f.feature} PSI ${f.psi.toFixed(3)}`), liveRows });
    let runId: string | null = null;
    if (this.config.models.retraining.onDrift) {
      const day = new Date(now).toISOString().slice(0, 10);
      const reason = `drift of ${version}: ${drifted.map((f) => `${f.feature} (PSI ${f.psi.toFixed(3)})`).join(', ')}`;
      try {
        runId = (await this.retraining.enqueue('drift', `drift:${version}:${day}`, reason, 'drift-monitor', { modelVersion: version, drifted })).run.id;
      } catch (error) {
        this.logger.error({ msg: 'could not queue retraining on drift', version, error: String(error) });
      }
    }
    await this.dataSource.query(
      `INSERT INTO model_drift_events (id, model_version_id, detected_at, report, retraining_run_id, instance) VALUES ($1, $2, $3, $4, $5, $6)`,
      [uuidv7(now), version, new Date(now).toISOString(), JSON.stringify({ drifted, liveRows, thresholds: report.thresholds }), runId, this.retraining.instance],
    );
  }

  /** The drift report of one version over this instance's window, with its latest drift events. */
  async view(version: string, now: number = this.clock.now()): Promise<ModelDriftView> {
    const { psiDrift, psiWarn, minRows } = this.thresholds;
    const hours = this.config.models.drift.windowHours;
    const state = this.versions.get(version);
    const events = await this.events(version);
    const base = { modelVersion: version, thresholds: { psiDrift, psiWarn, minRows }, events };
    if (!state || state.kind === 'loading') {
      const card = (await this.registry.get(version)).card;
      const probe = this.monitorFor(version, card);
      return {
        ...base,
        monitored: false,
        status: probe.window ? 'insufficient-data' : 'unavailable',
        detail: probe.unavailable ?? 'no price decided by this version in the window of this instance',
        window: { hours, from: null, to: null, rows: 0 },
        features: probe.window ? this.featuresOf(probe.window.report(this.thresholds)) : [],
        drifted: [],
        warned: [],
      };
    }
    if (!state.window) {
      return { ...base, monitored: false, status: 'unavailable', detail: state.unavailable, window: { hours, from: null, to: null, rows: 0 }, features: [], drifted: [], warned: [] };
    }
    const report = state.window.report(this.thresholds, now);
    const span = state.window.span;
    return {
      ...base,
      monitored: true,
      status: report.status,
      detail: null,
      window: { hours, from: span ? new Date(span.from).toISOString() : null, to: span ? new Date(span.to).toISOString() : null, rows: state.window.rows },
      features: this.featuresOf(report),
      drifted: [...report.drifted],
      warned: [...report.warned],
    };
  }

  private featuresOf(report: DriftReport): ModelDriftView['features'] {
    return report.features.map((f) => ({
      feature: f.feature,
      kind: f.kind,
      status: f.status,
      psi: finite(f.psi),
      ks: finite(f.ks),
      liveRows: f.liveRows,
      liveMissingShare: finite(f.liveMissingShare),
      referenceMissingShare: f.referenceMissingShare,
    }));
  }

  private async events(version: string): Promise<DriftEventSummary[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, detected_at, report, retraining_run_id FROM model_drift_events WHERE model_version_id = $1 ORDER BY detected_at DESC, id DESC LIMIT 20`,
      [version],
    )) as Array<{ id: string; detected_at: string; report: { drifted?: DriftEventSummary['drifted']; liveRows?: number }; retraining_run_id: string | null }>;
    return rows.map((row) => ({
      id: row.id,
      detectedAt: new Date(row.detected_at).toISOString(),
      drifted: row.report.drifted ?? [],
      liveRows: row.report.liveRows ?? 0,
      retrainingRunId: row.retraining_run_id,
    }));
  }
}
