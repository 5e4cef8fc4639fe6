import { DEMAND_FEATURE_COUNT, writeDemandFeatures } from '@dynaprice/pricing';
import type { TrainingObservation } from './simulation';

export interface TrainingSet {
  /** Row-major, DEMAND_FEATURE_COUNT columns (libs/pricing DEMAND_FEATURES order). */
  features: Float32Array;
  /** Units sold per row (censored by stock, as the API's history would be). */
  target: Float32Array;
  rows: number;
}

/** Observations as the demand model's training matrix: price_ratio = price / list price of the day. */
export function toTrainingSet(observations: readonly TrainingObservation[]): TrainingSet {
  const rows = observations.length;
  const features = new Float32Array(rows * DEMAND_FEATURE_COUNT);
  const target = new Float32Array(rows);
  observations.forEach((observation, row) => {
    writeDemandFeatures(features, row, observation.context, observation.price / observation.listPrice);
    target[row] = observation.unitsSold;
  });
  return { features, target, rows };
}
