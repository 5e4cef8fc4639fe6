import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEMAND_FEATURES, trainDemandModel } from '@dynaprice/pricing';
import { mkdirSync, writeFileSync } from 'node:fs';
import pino from 'pino';
import { join, resolve } from 'node:path';
import { AppModule } from '../app.module';
import { CliUsageError, type ApiCliCommand, type CliContext } from '../auth/cli-commands';
import { Clock } from '../common/clock';
import { createRootLogger, PinoNestLogger } from '../common/logger';
import { loadConfig } from '../config/app-config';
import { FairnessAuditsService } from '../fairness/fairness-audits.service';
import { ModelRegistry } from '../models/model-registry.service';
import { RetrainingService } from '../models/retraining.service';

/**
 * The nightly jobs (a scheduled Fargate task runs them: infra/cdk nightly-jobs) and training from the
 * decision history, straight on the database — the whole application without HTTP, so a job runs
 * exactly the code the API runs (and its locks: two jobs, or a job and the API's own schedule, run a
 * retraining once). Not for an embedded database another process has open.
 */
async function withApplication<T>(context: CliContext, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const config = loadConfig(context.env);
  // Log lines go to stderr: stdout is the command's own output.
  const logger = createRootLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, pino.destination(2));
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, logger), { logger: new PinoNestLogger(logger), abortOnError: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

function text(values: CliContext['values'], name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new CliUsageError(`--${name} needs a value`);
  return value.trim();
}

export const JOB_COMMANDS: readonly ApiCliCommand[] = [
  {
    group: 'jobs',
    action: 'retrain',
    summary: 'retrain the demand model on the decision history now; the new version becomes challenger',
    usage: `usage: dynaprice jobs retrain [--reason TEXT]

  Queues tonight's retraining run (or joins the one already queued) and runs it under the database's
  retraining lock. Prints the run; exits 1 when it failed.
`,
    options: { reason: { type: 'string' } },
    async run(context) {
      await withApplication(context, async (app) => {
        const retraining = app.get(RetrainingService);
        const day = app.get(Clock).date().toISOString().slice(0, 10);
        const { run } = await retraining.enqueue('nightly', `nightly:${day}`, text(context.values, 'reason') ?? `nightly retraining of ${day} (scheduled task)`, 'cli');
        const done = (await retraining.poll()) ?? (await retraining.get(run.id));
        context.io.stdout.write(`${JSON.stringify(done)}\n`);
        if (done.status === 'failed') throw new Error(`retraining ${done.id} failed`);
      });
    },
  },
  {
    group: 'jobs',
    action: 'fairness-audit',
    summary: 'run the fairness audit over the last day (the schedule’s settings); exits 1 on a failed audit',
    usage: `usage: dynaprice jobs fairness-audit

  Runs the audit with the stored schedule's settings, stores it, updates the alert metric, prints a
  one-line summary and exits 1 unless it passed.
`,
    options: {},
    async run(context) {
      await withApplication(context, async (app) => {
        const audit = await app.get(FairnessAuditsService).run({}, 'cli', { trigger: 'schedule' });
        context.io.stdout.write(`fairness audit ${audit.id}: ${audit.status}${audit.reasons.length ? ` (${audit.reasons.map((r) => JSON.stringify(r)).join('; ')})` : ''}\n`);
        if (audit.status !== 'pass') throw new Error(`the fairness audit did not pass: ${audit.status}`);
      });
    },
  },
  {
    group: 'jobs',
    action: 'train',
    summary: 'train a demand model on the decision history and write DIR/model.onnx and DIR/model-card.json',
    usage: `usage: dynaprice train --out DIR      (without --csv: from the database's history)

  One row per store × SKU × store day that is over: the day's first decision's feature row and the
  units sold under that day's decisions. Writes the ONNX model and its card; registers nothing.
`,
    options: { out: { type: 'string' } },
    async run(context) {
      const out = text(context.values, 'out');
      if (!out) throw new CliUsageError('--out DIR is required (or --csv FILE to train on a file)');
      await withApplication(context, async (app) => {
        const data = await app.get(ModelRegistry).trainingSet();
        const artifacts = trainDemandModel(data, { createdBy: 'cli', createdAt: app.get(Clock).date().toISOString() });
        const dir = resolve(out);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'model.onnx'), artifacts.onnx);
        writeFileSync(join(dir, 'model-card.json'), `${JSON.stringify(artifacts.card, null, 2)}\n`);
        const metrics = artifacts.card.validation;
        context.io.stdout.write(
          `trained on ${data.rows} store × SKU × days (${data.from} … ${data.to}), ${DEMAND_FEATURES.length} features, ${artifacts.card.treeCount} trees` +
            (metrics ? `; validation RMSE ${metrics.rmse.toFixed(3)}, MAE ${metrics.mae.toFixed(3)}, WAPE ${metrics.wape.toFixed(3)}, RMSE log1p ${metrics.rmseLog1p.toFixed(3)}` : '') +
            `\nwrote ${join(dir, 'model.onnx')} and model-card.json\n`,
        );
      });
    },
  },
];
