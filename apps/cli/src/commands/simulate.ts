import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startProcess, stopProcess } from '../api-process';
import { UsageError } from '../cli-error';
import { stringOption, type CliCommand, type CliIo, type OptionValues } from '../command';
import { ApiClient } from '../simulation/api-client';
import { runCaseStudy } from '../simulation/case-study';
import { caseStudyFigures, writeReport } from '../simulation/report';

const API_ENTRY = join(__dirname, '..', '..', '..', 'api', 'src', 'main.js');
/** The embedded demo's admin key (README): the simulator drives its own API with it. */
const DEMO_ADMIN_KEY = 'dp_demo_admin_DemoOnlyNotSecret';
/** A fixed start, so the same seed gives the same report on any day it is run. */
const DEFAULT_START = '2026-06-01';

function whole(values: OptionValues, name: string, fallback: number, min: number, max: number): number {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

function parseSplit(raw: string | undefined): number {
  if (raw === undefined) return 0.3;
  const match = /^(\d{1,2})\/(\d{1,2})$/.exec(raw);
  const model = Number(match?.[1]);
  const legacy = Number(match?.[2]);
  if (!match || model + legacy !== 100 || model < 1 || legacy < 1) throw new UsageError(`--split must be MODEL/LEGACY percentages adding to 100, such as 30/70; got ${JSON.stringify(raw)}`);
  return model / 100;
}

export const simulateCommand: CliCommand = {
  name: 'simulate',
  summary: 'the 90-day case study: a synthetic retailer priced through the real API, legacy vs model, with oracle and ROI',
  usage: `dynaprice simulate [--days 90] [--split 30/70] [--stores 5] [--skus 150] [--seed 7] [--api URL --key KEY] [--out DIR]

  Starts the API on a fresh embedded database with a simulated clock and the demo retailer of the
  same seed (or drives --api: an API started with SIMULATED_CLOCK=true, CLOCK_START=<start>T00:00:00Z
  and the same DEMO_* settings), creates the experiment (model vs legacy by store × SKU, --split
  model/legacy), and plays each day: deliveries, shelf prices from the API, customers under the true
  demand, sales and waste back to the API. At the end it reads the experiment's results and the ROI
  report from the API and writes summary.md and SVG charts to --out (default ./simulation).
  --skus is the number of SKUs (a multiple of 5: one fifth per category). --start YYYY-MM-DD moves the
  first simulated day (default ${DEFAULT_START}). --cloud-per-month and --development are the costs
  entered for the ROI report (defaults 300 and 1000: a pilot of this size).
`,
  options: {
    days: { type: 'string' },
    split: { type: 'string' },
    stores: { type: 'string' },
    skus: { type: 'string' },
    seed: { type: 'string' },
    api: { type: 'string' },
    key: { type: 'string' },
    out: { type: 'string' },
    start: { type: 'string' },
    'history-days': { type: 'string' },
    'cloud-per-month': { type: 'string' },
    development: { type: 'string' },
  },
  async run({ values }, io) {
    await simulate(values, io);
  },
};

async function simulate(values: OptionValues, io: CliIo): Promise<void> {
  const days = whole(values, 'days', 90, 1, 730);
  const modelShare = parseSplit(stringOption(values, 'split'));
  const stores = whole(values, 'stores', 5, 1, 8);
  const skus = whole(values, 'skus', 150, 5, 1000);
  if (skus % 5 !== 0) throw new UsageError(`--skus must be a multiple of 5 (one fifth per category), got ${skus}`);
  const seed = whole(values, 'seed', 7, 0, 2_147_483_647);
  const historyDays = whole(values, 'history-days', 56, 14, 365);
  const cloudPerMonth = whole(values, 'cloud-per-month', 300, 0, 10_000_000);
  const development = whole(values, 'development', 1000, 0, 100_000_000);
  const startDate = stringOption(values, 'start') ?? DEFAULT_START;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate) || Number.isNaN(Date.parse(startDate))) throw new UsageError(`--start must be a date YYYY-MM-DD, got ${JSON.stringify(startDate)}`);
  const out = resolve(stringOption(values, 'out') ?? 'simulation');
  const target = stringOption(values, 'api');
  const key = stringOption(values, 'key') ?? process.env['DYNAPRICE_API_KEY'] ?? DEMO_ADMIN_KEY;

  let child: ChildProcess | null = null;
  let dataDir: string | null = null;
  let baseUrl = target?.replace(/\/$/, '') ?? '';
  try {
    if (!target) {
      dataDir = mkdtempSync(join(tmpdir(), 'dynaprice-simulate-'));
      const port = await freePort();
      baseUrl = `http://127.0.0.1:${port}`;
      child = await startProcess(
        [API_ENTRY],
        {
          DATA_DIR: dataDir,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          DEMO_SEED: 'true',
          DEMO_STORES: String(stores),
          DEMO_SKUS_PER_CATEGORY: String(skus / 5),
          DEMO_HISTORY_DAYS: String(historyDays),
          DEMO_RANDOM_SEED: String(seed),
          SIMULATED_CLOCK: 'true',
          CLOCK_START: `${startDate}T00:00:00Z`,
          RATE_LIMIT_PER_MINUTE: '100000000',
        },
        `${baseUrl}/health/ready`,
        io,
      );
    }
    const api = new ApiClient(baseUrl, key);
    const started = Date.now();
    const result = await runCaseStudy({
      api,
      days,
      modelShare,
      stores,
      skusPerCategory: skus / 5,
      historyDays,
      seed,
      startDate,
      costs: { cloudPerMonth, development },
      onDay: (progress) => {
        const legacy = progress.margin['legacy'] ?? 0;
        const model = progress.margin['model'] ?? 0;
        io.stderr.write(`day ${progress.day}/${days} ${progress.date}: margin legacy ${legacy.toFixed(0)}, model ${model.toFixed(0)}\n`);
      },
    });
    writeReport(out, result, { days, split: `${Math.round(modelShare * 100)}/${Math.round((1 - modelShare) * 100)}`, stores, skus, seed, 'history days': historyDays });
    const figures = caseStudyFigures(result);
    const pct = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? 'n/a' : `${(v * 100).toFixed(1)} %`);
    io.stdout.write(
      `model vs legacy margin per store × SKU × day: ${pct(figures.marginLift)}` +
        (figures.apiLift ? ` (API: ${pct(figures.apiLift.estimate)} [${pct(figures.apiLift.lower)}, ${pct(figures.apiLift.upper)}])` : '') +
        `; oracle captured: model ${pct(figures.oracleCapture['model'])}, legacy ${pct(figures.oracleCapture['legacy'])}` +
        `; ROI ${figures.roiPercent === null ? 'n/a' : `${figures.roiPercent.toFixed(1)} %`}` +
        `\nreport: ${join(out, 'summary.md')} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
    );
  } finally {
    if (child) await stopProcess(child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
