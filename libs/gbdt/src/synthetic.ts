import { SeededRandom } from '@dynaprice/kernel';
import type { FeatureSpec } from './types';

/** Features of the synthetic demand data, in column order (12: 10 numeric, 2 categorical). */
export const SYNTHETIC_FEATURES: readonly FeatureSpec[] = [
  { name: 'price_ratio', type: 'numeric', monotone: -1 },
  { name: 'list_price', type: 'numeric' },
  { name: 'days_to_expiry', type: 'numeric' },
  { name: 'stock_units', type: 'numeric' },
  { name: 'expiring_units', type: 'numeric' },
  { name: 'day_of_week', type: 'categorical' },
  { name: 'category', type: 'categorical' },
  { name: 'shelf_life_days', type: 'numeric' },
  { name: 'velocity_7d', type: 'numeric' },
  { name: 'price_ratio_7d', type: 'numeric' },
  { name: 'temperature', type: 'numeric' },
  { name: 'promotion', type: 'numeric' },
];

export interface SyntheticDemand {
  readonly features: Float32Array;
  readonly rows: number;
  /** Units sold (Poisson counts). */
  readonly units: Float64Array;
  /** Expected units (the Poisson mean) of each row. */
  readonly expected: Float64Array;
  /** Day index of each row (rows are in time order). */
  readonly day: Float64Array;
}

const CATEGORY_EFFECT = [0.4, -0.2, 0.1, 0.6, -0.5, 0, 0.3, -0.3, 0.2, -0.1];
const WEEKDAY_EFFECT = [0.25, -0.1, -0.15, -0.1, 0, 0.15, 0.3];

/**
 * Daily store × SKU demand with a known structure: expected units fall with the price ratio
 * (elasticity ≈ −1.5), rise near expiry with markdowns, depend on weekday and category (set
 * effects), stock, velocity and weather; about 3 % of `velocity_7d` and `temperature` are missing.
 * Deterministic for a seed.
 */
export function syntheticDemand(rows: number, seed = 1): SyntheticDemand {
  const rng = new SeededRandom(seed);
  const numFeatures = SYNTHETIC_FEATURES.length;
  const features = new Float32Array(rows * numFeatures);
  const units = new Float64Array(rows);
  const expected = new Float64Array(rows);
  const day = new Float64Array(rows);
  const days = Math.max(1, Math.ceil(rows / 1000));
  for (let r = 0; r < rows; r++) {
    const d = Math.floor((r * days) / rows);
    const priceRatio = 0.5 + 0.7 * rng.next();
    const listPrice = 0.5 + 9.5 * rng.next();
    const shelfLife = 2 + rng.int(0, 12);
    const daysToExpiry = rng.int(0, shelfLife);
    const stock = rng.int(0, 80);
    const expiring = daysToExpiry <= 1 ? rng.int(0, stock) : 0;
    const weekday = d % 7;
    const category = rng.int(0, 9);
    const velocity = rng.next() < 0.03 ? Number.NaN : 0.5 + 20 * rng.next();
    const priceRatio7d = Math.min(1.2, Math.max(0.5, priceRatio + rng.normal(0, 0.05)));
    const temperature = rng.next() < 0.03 ? Number.NaN : rng.normal(15, 8);
    const promotion = rng.next() < 0.2 ? 1 : 0;
    const logMean =
      0.8 -
      1.5 * Math.log(priceRatio) -
      0.15 * Math.log(listPrice) +
      (WEEKDAY_EFFECT[weekday] as number) +
      (CATEGORY_EFFECT[category] as number) +
      (Number.isNaN(velocity) ? 0.3 : 0.6 * Math.log1p(velocity) - 0.6) +
      0.3 * promotion +
      (daysToExpiry <= 1 ? 0.2 : 0) +
      (Number.isNaN(temperature) ? 0 : 0.02 * (temperature - 15)) -
      (stock < 5 ? 0.5 : 0);
    const mean = Math.exp(logMean);
    const row = [priceRatio, listPrice, daysToExpiry, stock, expiring, weekday, category, shelfLife, velocity, priceRatio7d, temperature, promotion];
    for (let f = 0; f < numFeatures; f++) features[r * numFeatures + f] = row[f] as number;
    expected[r] = mean;
    units[r] = rng.poisson(mean);
    day[r] = d;
  }
  return { features, rows, units, expected, day };
}
