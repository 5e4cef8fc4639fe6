import { join } from 'node:path';
import { loadAvocado, loadFreshRetailNet, scoreDataset, type PreparedDataset } from './datasets';
import { TreeEnsembleEvaluator } from './evaluator';
import { trainGbdt } from './train';

const DATASETS = join(__dirname, '..', '..', '..', 'datasets');
const TOLERANCE = 1.03;

/** Trains with the reference settings and scores y on the test dates. */
function trainAndScore(dataset: PreparedDataset): { rmse: number; wape: number; naiveRmse: number } {
  const model = trainGbdt({ features: dataset.train.features, rows: dataset.train.rows, target: dataset.train.y }, { features: dataset.features, params: dataset.referenceParams });
  const predicted = TreeEnsembleEvaluator.fromModel(model).evaluate(dataset.test.features, dataset.test.rows);
  const score = scoreDataset(dataset, predicted);
  return { rmse: score.rmse, wape: score.wape, naiveRmse: scoreDataset(dataset, dataset.naiveY).rmse };
}

let avocado: Promise<PreparedDataset> | undefined;
let freshRetailNet: Promise<PreparedDataset> | undefined;
const loadAvocadoOnce = (): Promise<PreparedDataset> => (avocado ??= loadAvocado(join(DATASETS, 'hab_avocado_2015_2018')));
const loadFreshRetailNetOnce = (): Promise<PreparedDataset> => (freshRetailNet ??= loadFreshRetailNet(join(DATASETS, 'freshretailnet50k_subset')));

describe('accuracy on the public datasets', () => {
  it('avocado: splits by the last 20 % of dates like the reference, and the naive forecast scores as published', async () => {
    const dataset = await loadAvocadoOnce();
    expect(dataset.train.rows).toBe(14_577);
    expect(dataset.test.rows).toBe(3_672);
    const naive = scoreDataset(dataset, dataset.naiveY);
    expect(naive.rmse).toBeCloseTo(dataset.reference.naive.rmse, 3);
    expect(naive.wape).toBeCloseTo(dataset.reference.naive.wape, 3);
  });

  it('avocado: RMSE of y is within 3 % of HistGradientBoosting (0.257) and clearly below naive', async () => {
    const dataset = await loadAvocadoOnce();
    const { rmse, naiveRmse } = trainAndScore(dataset);
    expect(dataset.reference.histGradientBoosting.rmse).toBe(0.257);
    expect(rmse).toBeLessThanOrEqual(dataset.reference.histGradientBoosting.rmse * TOLERANCE);
    expect(rmse).toBeLessThan(naiveRmse * 0.9);
  }, 60_000);

  it('FreshRetailNet: splits by the last 20 % of dates like the reference, and the naive forecast scores as published', async () => {
    const dataset = await loadFreshRetailNetOnce();
    expect(dataset.train.rows).toBe(78_763);
    expect(dataset.test.rows).toBe(19_692);
    const naive = scoreDataset(dataset, dataset.naiveY);
    expect(naive.rmse).toBeCloseTo(dataset.reference.naive.rmse, 3);
    expect(naive.wape).toBeCloseTo(dataset.reference.naive.wape, 3);
  }, 30_000);

  it('FreshRetailNet: RMSE of y is within 3 % of HistGradientBoosting (0.590) and clearly below naive', async () => {
    const dataset = await loadFreshRetailNetOnce();
    const { rmse, wape, naiveRmse } = trainAndScore(dataset);
    expect(dataset.reference.histGradientBoosting.rmse).toBe(0.59);
    expect(rmse).toBeLessThanOrEqual(dataset.reference.histGradientBoosting.rmse * TOLERANCE);
    expect(rmse).toBeLessThan(naiveRmse * 0.8);
    expect(wape).toBeLessThan(dataset.reference.naive.wape);
  }, 60_000);
});
