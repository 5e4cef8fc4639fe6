import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex, syntheticDemand, SYNTHETIC_FEATURES } from '@dynaprice/gbdt';
import { main } from './main';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'dynaprice.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function dynaprice(...args: string[]): Run {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Exit code ≠ 0 and exactly one line on stderr, `dynaprice: …`, matching `pattern`. */
function expectOneLineError(run: Run, pattern: RegExp): void {
  expect(run.status).not.toBe(0);
  expect(run.status).not.toBeNull();
  const lines = run.stderr.split('\n').filter((line) => line.length > 0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^dynaprice: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

let dir: string;
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** A CSV of synthetic demand rows: the 12 features, a date and units. */
function demandCsv(rows: number, seed: number): string {
  const data = syntheticDemand(rows, seed);
  const names = SYNTHETIC_FEATURES.map((f) => f.name);
  const lines = [[...names, 'date', 'units'].join(',')];
  for (let r = 0; r < rows; r++) {
    const values = Array.from(data.features.subarray(r * 12, r * 12 + 12), (v) => (Number.isNaN(v) ? '' : String(v)));
    const date = new Date(Date.UTC(2024, 0, 1) + (data.day[r] as number) * 86_400_000).toISOString().slice(0, 10);
    lines.push([...values, date, String(data.units[r])].join(','));
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dynaprice-cli-'));
  // The first run may build dist/ (bin/dynaprice.js rebuilds when sources are newer).
  const first = dynaprice('--help');
  expect(first.status).toBe(0);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dynaprice (bad input)', () => {
  it('trains on the database without --csv, and refuses the CSV-only options there, naming them', () => {
    expectOneLineError(dynaprice('train', '--target', 'units', '--out', join(dir, 'm')), /jobs train: unknown option --target/);
  });

  it('rejects an unknown flag, naming it', () => {
    expectOneLineError(dynaprice('train', '--csv', 'x.csv', '--tress', '10'), /unknown option --tress/);
    expectOneLineError(dynaprice('evaluate', '--verbose'), /unknown option --verbose/);
  });

  it('rejects an unknown command', () => {
    expectOneLineError(dynaprice('fly'), /unknown command "fly"/);
  });

  it('names a missing file', () => {
    expectOneLineError(dynaprice('train', '--csv', join(dir, 'nowhere.csv'), '--target', 'units', '--out', join(dir, 'm')), /nowhere\.csv.*does not exist/);
  });

  it('names an empty file', () => {
    expectOneLineError(dynaprice('train', '--csv', file('empty.csv', ''), '--target', 'units', '--out', join(dir, 'm')), /empty\.csv.*empty/);
  });

  it('names a missing column', () => {
    const csv = file('few.csv', 'price,units\n1,2\n');
    expectOneLineError(dynaprice('train', '--csv', csv, '--target', 'sales', '--out', join(dir, 'm')), /no column "sales"/);
    expectOneLineError(dynaprice('train', '--csv', csv, '--target', 'units', '--features', 'price,stock', '--out', join(dir, 'm')), /no column "stock"/);
  });

  it('names the line and column of a non-numeric value', () => {
    const csv = file('text.csv', 'price,units\n1,2\n1.5,3\ncheap,4\n');
    expectOneLineError(dynaprice('train', '--csv', csv, '--target', 'units', '--out', join(dir, 'm')), /text\.csv:4: column "price": "cheap" is not a number/);
  });

  it('rejects a bad option value', () => {
    const csv = file('ok.csv', 'price,units\n1,2\n');
    expectOneLineError(dynaprice('train', '--csv', csv, '--target', 'units', '--out', join(dir, 'm'), '--loss', 'huber'), /--loss must be squared or poisson/);
    expectOneLineError(dynaprice('train', '--csv', csv, '--target', 'units', '--out', join(dir, 'm'), '--trees', '2.5'), /--trees must be an integer/);
    expectOneLineError(dynaprice('train', '--csv', csv, '--target', 'units', '--out', join(dir, 'm'), '--trees', '-3'), /--trees=VALUE/);
  });

  it('refuses a protected attribute as a feature', () => {
    const csv = file('people.csv', 'price,gender,units\n1,1,2\n2,0,3\n');
    expectOneLineError(dynaprice('train', '--csv', csv, '--target', 'units', '--out', join(dir, 'm')), /protected attribute "gender"/);
  });

  it('rejects an unknown benchmark', () => {
    expectOneLineError(dynaprice('bench', 'xgboost'), /unknown benchmark "xgboost" \(available: gbdt, policy, explain\)/);
  });

  it('names a missing model directory', () => {
    expectOneLineError(dynaprice('evaluate', '--model', join(dir, 'no-model'), '--csv', 'x.csv', '--target', 'units'), /no-model does not exist/);
  });
});

describe('dynaprice train / evaluate / predict', () => {
  const out = (): string => join(dir, 'model');
  let trainRun: Run;
  beforeAll(() => {
    const csv = file('demand.csv', demandCsv(4000, 3));
    trainRun = dynaprice(
      'train',
      '--csv',
      csv,
      '--target',
      'units',
      '--time',
      'date',
      '--categorical',
      'day_of_week,category',
      '--monotone-decreasing',
      'price_ratio',
      '--log-target',
      '--trees',
      '60',
      '--seed',
      '3',
      '--created-at',
      '2024-06-01T00:00:00Z',
      '--created-by',
      'cli-spec',
      '--out',
      out(),
    );
  }, 120_000);

  it('writes model.onnx and a model card carrying its sha256, and prints validation metrics', () => {
    expect(trainRun.stderr).toBe('');
    expect(trainRun.status).toBe(0);
    expect(trainRun.stdout).toMatch(/validation RMSE\s+\d/);
    expect(trainRun.stdout).toMatch(/validation WAPE\s+\d/);
    const card = JSON.parse(readFileSync(join(out(), 'model-card.json'), 'utf8')) as { sha256: string; trainingData: { from: string; to: string }; createdBy: string; features: { name: string; monotone: number }[] };
    expect(card.sha256).toBe(sha256Hex(readFileSync(join(out(), 'model.onnx'))));
    expect(card.trainingData.from).toBe('2024-01-01');
    expect(card.trainingData.to).toBe('2024-01-04');
    expect(card.createdBy).toBe('cli-spec');
    expect(card.features.find((f) => f.name === 'price_ratio')?.monotone).toBe(-1);
  });

  it('evaluates with onnxruntime and prints one JSON object with --json', () => {
    const run = dynaprice('evaluate', '--model', out(), '--csv', file('holdout.csv', demandCsv(1500, 9)), '--target', 'units', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, number>;
    expect(result.rows).toBe(1500);
    for (const key of ['rmse', 'mae', 'wape', 'rmseLog1p']) expect(result[key]).toBeGreaterThan(0);
    expect(result.wape).toBeLessThan(1);
    const table = dynaprice('evaluate', '--model', out(), '--csv', join(dir, 'holdout.csv'), '--target', 'units');
    expect(table.stdout).toMatch(/RMSE log1p/);
  });

  it('appends a prediction column to every row', () => {
    const target = join(dir, 'predicted.csv');
    const run = dynaprice('predict', '--model', out(), '--csv', join(dir, 'holdout.csv'), '--out', target);
    expect(run.status).toBe(0);
    const lines = readFileSync(target, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1501);
    expect(lines[0]).toMatch(/,units,prediction$/);
    for (const line of lines.slice(1)) expect(Number(line.split(',').pop())).toBeGreaterThanOrEqual(0);
  });

  it('refuses a model card that does not belong to the model', () => {
    const cardPath = join(out(), 'model-card.json');
    const card = readFileSync(cardPath, 'utf8');
    try {
      writeFileSync(cardPath, card.replace(/"sha256": "[0-9a-f]+"/, `"sha256": "${'0'.repeat(64)}"`));
      expectOneLineError(dynaprice('evaluate', '--model', out(), '--csv', join(dir, 'holdout.csv'), '--target', 'units'), /does not belong to/);
    } finally {
      writeFileSync(cardPath, card);
    }
  });
});

describe(main.name, () => {
  it('prints the command list for --help and exits 0', async () => {
    let stdout = '';
    const io = { stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream, stderr: process.stderr };
    expect(await main(['--help'], io)).toBe(0);
    expect(stdout).toMatch(/train\s+train a demand model/);
    expect(stdout).toMatch(/bench/);
  });
});
