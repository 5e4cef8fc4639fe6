import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'dynaprice.js');

/** `dynaprice train` without --csv, and the nightly jobs, run on the API's own database. */
describe('dynaprice jobs (embedded database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dynaprice-jobs-'));
  const env = {
    ...process.env,
    DATABASE_URL: '',
    DATA_DIR: join(dir, 'data'),
    DEMO_SEED: 'true',
    DEMO_STORES: '2',
    DEMO_SKUS_PER_CATEGORY: '6',
    DEMO_HISTORY_DAYS: '28',
    LOG_LEVEL: 'silent',
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains on the decision history when train gets no --csv, writing the model and its card', () => {
    const run = spawnSync(process.execPath, [BIN, 'train', '--out', join(dir, 'model')], { env, encoding: 'utf8', timeout: 240_000 });
    expect({ status: run.status, stderr: run.stderr.split('\n').filter((line) => line.startsWith('dynaprice:')) }).toEqual({ status: 0, stderr: [] });
    expect(run.stdout).toMatch(/trained on \d+ store × SKU × days .*validation RMSE/);
    expect(existsSync(join(dir, 'model', 'model.onnx'))).toBe(true);
    const card = JSON.parse(readFileSync(join(dir, 'model', 'model-card.json'), 'utf8')) as { features: Array<{ name: string }>; sha256: string };
    expect(card.features[0]?.name).toBe('price_ratio');
    expect(card.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('runs the nightly retraining: a new challenger', () => {
    const run = spawnSync(process.execPath, [BIN, 'jobs', 'retrain'], { env, encoding: 'utf8', timeout: 240_000 });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').pop() as string)).toMatchObject({ status: 'succeeded' });
  });

  it('refuses an unknown job with one line and exit code 2', () => {
    const run = spawnSync(process.execPath, [BIN, 'jobs', 'defrost'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^dynaprice: jobs: unknown action "defrost"/)]);
  });
});
