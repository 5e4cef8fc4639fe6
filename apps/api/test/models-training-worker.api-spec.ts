import { syntheticDemand } from '@dynaprice/gbdt';
import { DomainError } from '@dynaprice/kernel';
import { DEMAND_FEATURE_COUNT, trainDemandModel, type DemandTrainingSet } from '@dynaprice/pricing';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TrainingRunner } from '../src/models/training-runner';

const ROOT = join(__dirname, '..', '..', '..');
const WORKER = join(ROOT, 'dist', 'apps', 'api', 'src', 'models', 'training-worker.js');

/** Synthetic demand rows in the served schema's width. */
function trainingSet(rows: number): DemandTrainingSet {
  const data = syntheticDemand(rows, 3);
  const features = new Float32Array(rows * DEMAND_FEATURE_COUNT);
  for (let r = 0; r < rows; r++) for (let c = 0; c < DEMAND_FEATURE_COUNT; c++) features[r * DEMAND_FEATURE_COUNT + c] = data.features[r * 12 + c] as number;
  return { features, unitsSold: data.units, day: data.day, rows, from: '2026-01-01', to: '2026-02-28' };
}

/** The built app trains in a worker thread (retraining must not stall price requests); the sources train in-process. */
describe('training in a worker thread (compiled build)', () => {
  beforeAll(() => {
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' });
    expect(existsSync(WORKER)).toBe(true);
  }, 180_000);

  it('produces the same artifacts as training in-process', async () => {
    const data = trainingSet(3000);
    const job = { data, createdBy: 'spec', createdAt: '2026-03-01T00:00:00.000Z' };
    const runner = new TrainingRunner(WORKER);
    expect(runner.inWorker).toBe(true);
    const fromWorker = await runner.train(job);
    const inProcess = trainDemandModel(data, { createdBy: job.createdBy, createdAt: job.createdAt });
    expect(Buffer.from(fromWorker.onnx).equals(Buffer.from(inProcess.onnx))).toBe(true);
    expect(fromWorker.card).toEqual(inProcess.card);
    expect(new TrainingRunner(null).inWorker).toBe(false);
  }, 120_000);

  it('passes a domain error back with its code', async () => {
    const error = await new TrainingRunner(WORKER).train({ data: trainingSet(100), createdBy: 'spec', createdAt: '2026-03-01T00:00:00.000Z' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'PRECONDITION_FAILED', message: 'training needs at least 500 store × SKU × day observations, found 100' });
  }, 60_000);
});
