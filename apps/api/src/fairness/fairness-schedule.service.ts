import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { dailyInstantAtOrBefore, MS_PER_DAY } from '@dynaprice/kernel';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { tryClusterLock } from '../database/cluster-lock';
import type { AuditSettingsDto, FairnessAuditDto, FairnessScheduleDto, UpdateFairnessScheduleDto } from './dto/fairness-audit.dto';
import { FairnessAuditsService, inputsOf, resolveAuditSettings } from './fairness-audits.service';

/** Default schedule: daily at 03:00 UTC over the last 7 days (off in simulations, where a day lasts seconds). */
export const DEFAULT_SCHEDULE_AT_MINUTE = 3 * 60;
export const DEFAULT_SCHEDULE_WINDOW_DAYS = 7;
/** How often the schedule is checked (real time). */
const TICK_MS = 30_000;

interface ScheduleRow {
  enabled: boolean;
  at_minute: number;
  window_days: number;
  settings: AuditSettingsDto;
  updated_by: string;
  updated_at: string | Date | null;
}

const hhmm = (minute: number): string => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * The daily fairness audit. Its settings live in the database (one row, changed with PUT
 * /v1/fairness/schedule), so every instance follows the same schedule; when business time crosses the
 * daily instant, the instance that takes the PostgreSQL advisory lock runs the audit once, under the run
 * key `schedule:<instant>` (a second instance finds it done). Checked every 30 s of real time and on every
 * jump of a simulated clock. Like cron, a run missed while every instance was down is not caught up.
 */
@Injectable()
export class FairnessScheduleService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(FairnessScheduleService.name);
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private lastTick: number | null = null;
  private ticking: Promise<FairnessAuditDto | null> | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audits: FairnessAuditsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.lastTick = this.clock.now();
    const tick = (now?: number): Promise<void> =>
      this.tick(now).then(
        () => undefined,
        (error: unknown) => this.logger.error({ msg: 'fairness schedule tick failed', error: String(error) }),
      );
    this.timer = setInterval(() => void tick(), TICK_MS);
    this.timer.unref();
    // A simulated clock jumps: the audit of a simulated night runs before the jump returns.
    this.unsubscribe = this.clock.onAdvance((now) => tick(now));
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
  }

  async get(): Promise<FairnessScheduleDto> {
    const row = await this.row();
    const settings = inputsOf(resolveAuditSettings(row.settings));
    const next = dailyInstantAtOrBefore(this.clock.now(), row.at_minute) + MS_PER_DAY;
    return {
      enabled: row.enabled,
      at: hhmm(row.at_minute),
      windowDays: row.window_days,
      settings,
      nextRunAt: row.enabled ? new Date(next).toISOString() : null,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at === null ? null : new Date(row.updated_at).toISOString(),
    };
  }

  async update(body: UpdateFairnessScheduleDto, by: string): Promise<FairnessScheduleDto> {
    const current = await this.row();
    const settings: AuditSettingsDto = {
      attributes: body.attributes ?? current.settings.attributes,
      thresholds: body.thresholds ?? current.settings.thresholds,
      bootstrapResamples: body.bootstrapResamples ?? current.settings.bootstrapResamples,
      counterfactualSample: body.counterfactualSample ?? current.settings.counterfactualSample,
    };
    // Validates the combination now, not at 03:00; defaults stay defaults (not frozen into the row).
    resolveAuditSettings(settings);
    const atMinute = body.at ? Number(body.at.slice(0, 2)) * 60 + Number(body.at.slice(3, 5)) : current.at_minute;
    await this.dataSource.query(
      `INSERT INTO fairness_schedule (id, enabled, at_minute, window_days, settings, updated_by, updated_at) VALUES (1, $1, $2, $3, $4, $5, now())
       ON CONFLICT (id) DO UPDATE SET enabled = EXCLUDED.enabled, at_minute = EXCLUDED.at_minute, window_days = EXCLUDED.window_days,
         settings = EXCLUDED.settings, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [body.enabled ?? current.enabled, atMinute, body.windowDays ?? current.window_days, JSON.stringify(settings), by],
    );
    return this.get();
  }

  /**
   * One check of the schedule: when business time crossed the daily instant since the previous check,
   * runs the audit (once across instances). Returns the audit it ran, or null.
   */
  tick(now: number = this.clock.now()): Promise<FairnessAuditDto | null> {
    if (!this.ticking) this.ticking = this.tickOnce(now).finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async tickOnce(now: number): Promise<FairnessAuditDto | null> {
    const previous = this.lastTick;
    this.lastTick = now;
    if (this.stopped || previous === null || now <= previous) return null;
    const schedule = await this.row();
    if (!schedule.enabled) return null;
    const instant = dailyInstantAtOrBefore(now, schedule.at_minute);
    if (!(instant > previous)) return null;
    return this.runScheduled(instant, schedule);
  }

  private async runScheduled(instant: number, schedule: ScheduleRow): Promise<FairnessAuditDto | null> {
    const runKey = `schedule:${new Date(instant).toISOString()}`;
    const lock = await tryClusterLock(this.dataSource, this.config, 'fairness-audit');
    if (!lock) return null;
    try {
      const [done] = (await this.dataSource.query(`SELECT id FROM fairness_audits WHERE run_key = $1`, [runKey])) as Array<{ id: string }>;
      if (done) return null;
      const body = {
        ...schedule.settings,
        from: new Date(instant - schedule.window_days * MS_PER_DAY).toISOString(),
        to: new Date(instant).toISOString(),
      };
      return await this.audits.run(body, 'schedule', { trigger: 'schedule', runKey });
    } finally {
      await lock.release();
    }
  }

  private async row(): Promise<ScheduleRow> {
    const [row] = (await this.dataSource.query(`SELECT enabled, at_minute, window_days, settings, updated_by, updated_at FROM fairness_schedule WHERE id = 1`)) as ScheduleRow[];
    return (
      row ?? {
        // A simulation plays a day in seconds: the daily audit is opt-in there.
        enabled: !this.config.simulatedClock,
        at_minute: DEFAULT_SCHEDULE_AT_MINUTE,
        window_days: DEFAULT_SCHEDULE_WINDOW_DAYS,
        settings: {},
        updated_by: 'default',
        updated_at: null,
      }
    );
  }
}
