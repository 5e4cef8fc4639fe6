import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { ExperimentEntity } from './entities/experiment.entity';
import { ExperimentResultsService } from './experiment-results.service';
import { ExperimentsService } from './experiments.service';

/** How often running experiments are checked without anyone asking (a merchandiser should not have to watch). */
export const GUARDRAIL_CHECK_MS = 5 * 60_000;

/**
 * The scheduled check: ends experiments whose planned end has passed, and runs the guardrails of every
 * running experiment that declares some (the results computation falls back on a breach). Results
 * calls run the same check; the stored look-per-day state keeps repeated checks from adding looks.
 */
@Injectable()
export class GuardrailMonitor implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(GuardrailMonitor.name);
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly experiments: ExperimentsService,
    private readonly results: ExperimentResultsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.runOnce(), GUARDRAIL_CHECK_MS);
    this.timer.unref();
    // Simulated time (the market simulator): check whenever the clock moves.
    this.unsubscribe = this.clock.onAdvance(() => this.runOnce());
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await this.pass;
  }

  /** One pass over the running experiments; overlapping passes share the one in progress. */
  runOnce(): Promise<void> {
    if (!this.pass) this.pass = this.check().finally(() => (this.pass = null));
    return this.pass;
  }

  private async check(): Promise<void> {
    try {
      await this.experiments.endDue();
      const running = await this.dataSource.getRepository(ExperimentEntity).findBy({ status: 'running' });
      for (const experiment of running) {
        if (experiment.guardrails.length === 0) continue;
        try {
          await this.results.results(experiment.id);
        } catch (error) {
          this.logger.error({ msg: 'guardrail check failed', experimentId: experiment.id, error: String(error) });
        }
      }
    } catch (error) {
      this.logger.error({ msg: 'scheduled experiment check failed', error: String(error) });
    }
  }
}
