import { createModelArtifacts, trainGbdt, type FeatureSpec, type GbdtParams, type ModelArtifacts, type TrainProgress } from '@dynaprice/gbdt';
import { DomainError } from '@dynaprice/kernel';
import { DEMAND_FEATURE_COUNT, DEMAND_FEATURES, PRICE_FEATURE_INDEX } from './demand-features';

/** The demand features as the trainer sees them: demand may never rise with the price. */
export const DEMAND_FEATURE_SPECS: readonly FeatureSpec[] = DEMAND_FEATURES.map((feature, index) =>
  feature.type === 'categorical'
    ? { name: feature.name, type: 'categorical' }
    : { name: feature.name, type: 'numeric', monotone: index === PRICE_FEATURE_INDEX ? -1 : 0 },
);

/**
 * Default hyper-parameters of the demand model: Poisson loss on daily units (counts, many zeros),
 * early stopping on the latest 15 % of days. Chosen on the demo retailer's history (docs/model.md).
 */
export const DEMAND_MODEL_PARAMS: Partial<GbdtParams> = {
  loss: 'poisson',
  numTrees: 300,
  learningRate: 0.08,
  maxDepth: 6,
  maxLeaves: 31,
  minDataInLeaf: 20,
  lambdaL2: 1,
  rowSubsample: 0.9,
  featureSubsample: 1,
  earlyStoppingRounds: 30,
  validationFraction: 0.15,
  seed: 7,
};

/** Store × SKU × day observations: the feature row at the day's price, and the units sold that day. */
export interface DemandTrainingSet {
  /** Row-major, DEMAND_FEATURE_COUNT columns. */
  readonly features: Float32Array;
  readonly unitsSold: ArrayLike<number>;
  /** Days since the epoch of each row: validation takes the latest days. */
  readonly day: ArrayLike<number>;
  readonly rows: number;
  /** ISO dates of the first and last day. */
  readonly from: string | null;
  readonly to: string | null;
}

export interface DemandTrainingOptions {
  readonly createdBy: string;
  readonly createdAt: string;
  readonly params?: Partial<GbdtParams>;
  readonly onProgress?: (progress: TrainProgress) => void;
}

/** Fewer rows than this cannot support a validation split and a model worth serving. */
export const MIN_TRAINING_ROWS = 500;

/** Trains the demand model on observed days and packages it as ONNX with its model card. */
export function trainDemandModel(data: DemandTrainingSet, options: DemandTrainingOptions): ModelArtifacts {
  if (data.rows < MIN_TRAINING_ROWS) {
    throw new DomainError('PRECONDITION_FAILED', `training needs at least ${MIN_TRAINING_ROWS} store × SKU × day observations, found ${data.rows}`);
  }
  if (data.features.length !== data.rows * DEMAND_FEATURE_COUNT) {
    throw DomainError.validation('features', `expected ${data.rows} × ${DEMAND_FEATURE_COUNT} values, got ${data.features.length}`);
  }
  const model = trainGbdt(
    { features: data.features, rows: data.rows, target: data.unitsSold, time: data.day },
    { features: DEMAND_FEATURE_SPECS, params: { ...DEMAND_MODEL_PARAMS, ...options.params }, onProgress: options.onProgress },
  );
  return createModelArtifacts(model, {
    name: 'demand',
    targetName: 'units_sold',
    trainingWindow: { from: data.from, to: data.to },
    createdBy: options.createdBy,
    createdAt: options.createdAt,
  });
}
