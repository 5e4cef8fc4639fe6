import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { dailyInstantAtOrBefore, DomainError, uuidv7 } from '@dynaprice/kernel';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { tryClusterLock } from '../database/cluster-lock';
import { MetricsService } from '../monitoring/metrics.service';
import { ModelRegistry } from './model-registry.service';

export type RetrainingTrigger = 'nightly' | 'drift' | 'manual';
export type RetrainingStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface RetrainingRun {
  id: string;
  runKey: string;
  trigger: RetrainingTrigger;
  status: RetrainingStatus;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  instance: string | null;
  modelVersionId: string | null;
  error: string | null;
  detail: Record<string, unknown> | null;
}

const RUN_COLUMNS = `id, run_key, trigger, status, reason, requested_by, requested_at, started_at, finished_at, instance, model_version_id, error, detail`;

const iso = (value: unknown): string | null => (value === null || value === undefined ? null : new Date(value as string).toISOString());

function toRun(row: Record<string, unknown>): RetrainingRun {
  return {
    id: String(row['id']),
    runKey: String(row['run_key']),
    trigger: row['trigger'] as RetrainingTrigger,
    status: row['status'] as RetrainingStatus,
    reason: String(row['reason']),
    requestedBy: String(row['requested_by']),
    requestedAt: iso(row['requested_at']) as string,
    startedAt: iso(row['started_at']),
    finishedAt: iso(row['finished_at']),
    instance: (row['instance'] as string | null) ?? null,
    modelVersionId: (row['model_version_id'] as string | null) ?? null,
    error: (row['error'] as string | null) ?? null,
    detail: (row['detail'] as Record<string, unknown> | null) ?? null,
  };
}

/**
 * Retraining (SPEC §6): runs are queued in model_retraining_runs by the nightly schedule, by drift, or by
 * hand, each under a key that makes duplicate requests one run (`nightly:<day>`, `drift:<version>:<day>`).
 * Every instance polls the queue; the one that takes the PostgreSQL advisory lock claims every queued run,
 * trains once, registers the version and points `challenger` at it (never `champion`), then releases.
 */
@Injectable()
export class RetrainingService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RetrainingService.name);
  readonly instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly runsTotal: Counter<'trigger' | 'status'>;
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private executing: Promise<RetrainingRun | null> | null = null;
  private lastTick: number | null = null;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ModelRegistry,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.runsTotal = metrics.counter('dynaprice_retraining_runs_total', 'Finished retraining runs by trigger and outcome.', ['trigger', 'status']);
  }

  onModuleInit(): void {
    const { nightly, worker, pollMs } = this.config.models.retraining;
    if (!nightly && !worker) return;
    this.timer = setInterval(() => void this.tick(), pollMs);
    this.timer.unref();
    // A simulated clock jumps: the night it passes is scheduled, and trained, before the jump returns.
    this.unsubscribe = this.clock.onAdvance(async (now) => {
      try {
        if (nightly) await this.tickSchedule(now);
        if (worker) await this.poll();
      } catch (error) {
        this.logger.error({ msg: 'retraining on clock advance failed', error: String(error) });
      }
    });
  }

  onModuleDestroy(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  /** One timer tick: the nightly schedule, then the queue. */
  private async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      if (this.config.models.retraining.nightly) await this.tickSchedule();
      if (this.config.models.retraining.worker) await this.poll();
    } catch (error) {
      this.logger.error({ msg: 'retraining tick failed', error: String(error) });
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Queues the nightly run when business time has crossed the nightly instant since the previous tick
   * (like cron, a night the API was down is not caught up; several instances queue the same run key).
   */
  async tickSchedule(now: number = this.clock.now()): Promise<RetrainingRun | null> {
    const previous = this.lastTick;
    this.lastTick = now;
    if (previous === null || now <= previous) return null;
    const instant = dailyInstantAtOrBefore(now, this.config.models.retraining.nightlyAtMinute);
    if (!(instant > previous)) return null;
    const day = new Date(instant).toISOString().slice(0, 10);
    const { run } = await this.enqueue('nightly', `nightly:${day}`, `nightly retraining of ${day}`, 'schedule');
    return run;
  }

  /** Queues a run; a run with the same key already queued (or done) is returned instead. */
  async enqueue(
    trigger: RetrainingTrigger,
    runKey: string,
    reason: string,
    requestedBy: string,
    detail: Record<string, unknown> | null = null,
    id: string = uuidv7(),
  ): Promise<{ run: RetrainingRun; created: boolean }> {
    const inserted = (await this.dataSource.query(
      `INSERT INTO model_retraining_runs (id, run_key, trigger, status, reason, requested_by, detail) VALUES ($1, $2, $3, 'queued', $4, $5, $6)
       ON CONFLICT (run_key) DO NOTHING RETURNING ${RUN_COLUMNS}`,
      [id, runKey, trigger, reason, requestedBy, detail === null ? null : JSON.stringify(detail)],
    )) as Array<Record<string, unknown>>;
    if (inserted[0]) {
      this.logger.log({ msg: 'retraining queued', trigger, runKey, reason });
      if (this.config.models.retraining.worker) setImmediate(() => void this.poll().catch((error: unknown) => this.logger.error({ msg: 'retraining failed', error: String(error) })));
      return { run: toRun(inserted[0]), created: true };
    }
    const [existing] = (await this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM model_retraining_runs WHERE run_key = $1`, [runKey])) as Array<Record<string, unknown>>;
    if (!existing) throw new DomainError('UNAVAILABLE', `retraining run ${runKey} vanished`);
    return { run: toRun(existing), created: false };
  }

  async list(limit: number): Promise<RetrainingRun[]> {
    const rows = (await this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM model_retraining_runs ORDER BY requested_at DESC, id DESC LIMIT $1`, [limit])) as Array<Record<string, unknown>>;
    return rows.map(toRun);
  }

  async get(id: string): Promise<RetrainingRun> {
    const [row] = (await this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM model_retraining_runs WHERE id = $1`, [id])) as Array<Record<string, unknown>>;
    if (!row) throw DomainError.notFound('retraining run', id);
    return toRun(row);
  }

  /**
   * Runs what is queued, if this instance gets the lock: returns the run it executed (the others queued at
   * the same time are coalesced into it), or null (nothing queued, or another instance is training).
   */
  poll(): Promise<RetrainingRun | null> {
    if (!this.executing) this.executing = this.pollOnce().finally(() => (this.executing = null));
    return this.executing;
  }

  private async pollOnce(): Promise<RetrainingRun | null> {
    if (this.stopped) return null;
    const [queued] = (await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM model_retraining_runs WHERE status = 'queued') AS present`)) as Array<{ present: boolean }>;
    if (!queued?.present) return null;
    const lock = await tryClusterLock(this.dataSource, this.config, 'retraining');
    if (!lock) return null;
    try {
      // Whoever runs a retraining holds the lock: a run still marked running now was left by a stopped instance.
      await this.dataSource.query(
        `UPDATE model_retraining_runs SET status = 'failed', finished_at = now(), error = 'abandoned: the instance running it stopped' WHERE status = 'running'`,
      );
      // TypeORM answers an UPDATE … RETURNING with [rows, affected].
      const [claimed] = (await this.dataSource.query(
        `UPDATE model_retraining_runs SET status = 'running', started_at = now(), instance = $1 WHERE status = 'queued' RETURNING ${RUN_COLUMNS}`,
        [this.instance],
      )) as [Array<Record<string, unknown>>, number];
      if (claimed.length === 0) return null;
      const runs = claimed.map(toRun).sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id));
      return await this.execute(runs);
    } finally {
      await lock.release();
    }
  }

  private async execute(runs: RetrainingRun[]): Promise<RetrainingRun> {
    const lead = runs[0] as RetrainingRun;
    const ids = runs.map((run) => run.id);
    const started = Date.now();
    this.logger.log({ msg: 'retraining started', run: lead.id, triggers: runs.map((run) => run.trigger), instance: this.instance });
    try {
      const data = await this.registry.trainingSet();
      const version = await this.registry.trainFromHistory(`retraining:${lead.trigger}`, data);
      const aliases = await this.registry.aliases();
      let challenger = 'unchanged: identical to the champion';
      if (aliases.get('champion') !== version.id) {
        await this.registry.setAlias('challenger', version.id, 'retraining', `${lead.trigger} retraining (run ${lead.id}): ${lead.reason}`);
        challenger = version.id;
      }
      const detail = {
        rows: data.rows,
        from: data.from,
        to: data.to,
        seconds: (Date.now() - started) / 1000,
        validation: version.card['validation'] ?? null,
        challenger,
        coalesced: ids,
      };
      await this.dataSource.query(
        `UPDATE model_retraining_runs SET status = 'succeeded', finished_at = now(), model_version_id = $2, detail = COALESCE(detail, '{}'::jsonb) || $3::jsonb
         WHERE id = ANY($1::uuid[]) AND status = 'running' AND instance = $4`,
        [ids, version.id, JSON.stringify(detail), this.instance],
      );
      for (const run of runs) this.runsTotal.inc({ trigger: run.trigger, status: 'succeeded' });
      this.logger.log({ msg: 'retraining succeeded', run: lead.id, version: version.id, challenger, seconds: detail.seconds });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.dataSource.query(
        `UPDATE model_retraining_runs SET status = 'failed', finished_at = now(), error = $2 WHERE id = ANY($1::uuid[]) AND status = 'running' AND instance = $3`,
        [ids, message.slice(0, 2000), this.instance],
      );
      for (const run of runs) this.runsTotal.inc({ trigger: run.trigger, status: 'failed' });
      this.logger.error({ msg: 'retraining failed', run: lead.id, error: message });
    }
    return this.get(lead.id);
  }
}
