import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, stopProcess } from '../api-process';
import { ApiClient } from './api-client';
import { runCaseStudy, type CaseStudyResult } from './case-study';
import { writeReport } from './report';

const API_ENTRY = join(__dirname, '..', '..', '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');
const SIZE = { stores: 2, skusPerCategory: 6, historyDays: 28, seed: 11 };
const START = '2026-06-01';
const silent = { stdout: process.stderr, stderr: { write: () => true } as unknown as NodeJS.WritableStream };

/** A fresh API on its own embedded database, simulated clock, the demo retailer of SIZE. */
async function startApi(): Promise<{ api: ApiClient; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dynaprice-case-study-'));
  const port = await freePort();
  const child: ChildProcess = await startProcess(
    [API_ENTRY],
    {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DEMO_SEED: 'true',
      DEMO_STORES: String(SIZE.stores),
      DEMO_SKUS_PER_CATEGORY: String(SIZE.skusPerCategory),
      DEMO_HISTORY_DAYS: String(SIZE.historyDays),
      DEMO_RANDOM_SEED: String(SIZE.seed),
      SIMULATED_CLOCK: 'true',
      CLOCK_START: `${START}T00:00:00Z`,
      RATE_LIMIT_PER_MINUTE: '100000000',
    },
    `http://127.0.0.1:${port}/health/ready`,
    silent,
  );
  return {
    api: new ApiClient(`http://127.0.0.1:${port}`, 'dp_demo_admin_DemoOnlyNotSecret'),
    stop: async () => {
      await stopProcess(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function play(days: number): Promise<CaseStudyResult> {
  const { api, stop } = await startApi();
  try {
    return await runCaseStudy({ api, days, modelShare: 0.3, ...SIZE, startDate: START, costs: { cloudPerMonth: 300, development: 1000 } });
  } finally {
    await stop();
  }
}

describe(runCaseStudy.name, () => {
  let first: CaseStudyResult;
  const out = mkdtempSync(join(tmpdir(), 'dynaprice-report-'));

  beforeAll(async () => {
    first = await play(4);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("has the API's experiment analysis agree with the simulator's ground truth, per variant", () => {
    expect(Object.keys(first.tallies).sort()).toEqual(['legacy', 'model']);
    for (const variant of first.results.variants) {
      const truth = first.tallies[variant.variant];
      if (!truth) throw new Error(`the API reports a variant the simulator never saw: ${variant.variant}`);
      expect(variant.exposures).toBe(truth.exposures);
      expect(variant.units).toBeCloseTo(truth.units, 6);
      expect(variant.revenue).toBeCloseTo(truth.revenue, 1);
      expect(variant.grossMargin).toBeCloseTo(truth.margin, 1);
    }
  });

  it('writes a Markdown summary and four SVG charts readable without the app', () => {
    const markdown = writeReport(join(out, 'a'), first, { days: 4, split: '30/70' });
    expect(markdown).toMatch(/model vs legacy, gross margin after waste/);
    for (const chart of ['daily-margin.svg', 'cumulative-lift.svg', 'waste.svg', 'price-index.svg']) {
      expect(readFileSync(join(out, 'a', chart), 'utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
  });

  it('gives the same report for the same seed', async () => {
    const second = await play(4);
    const a = writeReport(join(out, 'a'), first, { days: 4, split: '30/70' });
    const b = writeReport(join(out, 'b'), second, { days: 4, split: '30/70' });
    expect(b).toBe(a);
    expect(readFileSync(join(out, 'b', 'price-index.svg'), 'utf8')).toBe(readFileSync(join(out, 'a', 'price-index.svg'), 'utf8'));
  });
});
