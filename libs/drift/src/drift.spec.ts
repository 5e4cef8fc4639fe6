import { SeededRandom } from '@dynaprice/kernel';
import { categoricalReferenceFromSample, referenceFromSample, type FeatureReference } from './reference';
import { LiveFeatureWindow } from './window';

// Four model features: relative price (normal), demand last week (log-normal), weekday code
// (categorical), days since last markdown (numeric, 5 % missing).
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 1);
const NUM_FEATURES = 4;
const WEEKDAY_SHARES = [0.1, 0.1, 0.1, 0.15, 0.2, 0.25, 0.1];

interface Shift {
  priceMean: number;
  weekendBoost: number;
  missingShare: number;
}
const NO_SHIFT: Shift = { priceMean: 0, weekendBoost: 0, missingShare: 0.05 };

function stream(rows: number, seed: number, shift: Shift): Float32Array {
  const rng = new SeededRandom(seed);
  const matrix = new Float32Array(rows * NUM_FEATURES);
  const weekday = WEEKDAY_SHARES.map((p, d) => (d >= 5 ? p + shift.weekendBoost : p));
  const total = weekday.reduce((s, p) => s + p, 0);
  for (let r = 0; r < rows; r++) {
    let u = rng.next() * total;
    let day = 0;
    while (day < 6 && u >= (weekday[day] as number)) u -= weekday[day++] as number;
    matrix.set([rng.normal(shift.priceMean, 1), Math.exp(rng.normal(3, 0.5)), day, rng.next() < shift.missingShare ? Number.NaN : rng.int(0, 14)], r * NUM_FEATURES);
  }
  return matrix;
}

function column(matrix: Float32Array, f: number): Float32Array {
  return Float32Array.from({ length: matrix.length / NUM_FEATURES }, (_, r) => matrix[r * NUM_FEATURES + f]!);
}

function referencesFrom(training: Float32Array): FeatureReference[] {
  return [
    { name: 'relativePrice', reference: referenceFromSample(column(training, 0), 10) },
    { name: 'demandLastWeek', reference: referenceFromSample(column(training, 1), 10) },
    { name: 'weekday', reference: categoricalReferenceFromSample(column(training, 2)) },
    { name: 'daysSinceMarkdown', reference: referenceFromSample(column(training, 3), 10) },
  ];
}

/** 24 hourly batches of `perHour` rows, from `startHour`. */
function feed(window: LiveFeatureWindow, seed: number, shift: Shift, perHour = 400, startHour = 0, hours = 24): void {
  for (let h = 0; h < hours; h++) window.addRows(stream(perHour, seed * 1000 + h, shift), T0 + (startHour + h) * HOUR + 60_000);
}

describe('drift on a synthetic stream', () => {
  const references = referencesFrom(stream(20_000, 1, NO_SHIFT));

  it.each([2, 3, 4])('finds no drift in an unshifted stream (seed %i)', (seed) => {
    const window = new LiveFeatureWindow(references);
    feed(window, seed, NO_SHIFT);
    const report = window.report();
    expect(report.status).toBe('ok');
    for (const feature of report.features) {
      expect(feature.psi).toBeLessThan(0.02);
      expect(feature.liveRows).toBe(9600);
    }
  });

  it('flags exactly the shifted features, numeric and categorical', () => {
    const window = new LiveFeatureWindow(references);
    feed(window, 5, { priceMean: 0.8, weekendBoost: 0.3, missingShare: 0.3 });
    const report = window.report();
    expect(report.status).toBe('drifted');
    expect(report.drifted).toEqual(['relativePrice', 'weekday', 'daysSinceMarkdown']);
    const byName = Object.fromEntries(report.features.map((f) => [f.feature, f]));
    expect(byName['demandLastWeek']!.status).toBe('ok');
    expect(byName['relativePrice']!.ks).toBeGreaterThan(0.25);
    expect(byName['weekday']!.ks).toBeNull();
    expect(byName['daysSinceMarkdown']!.liveMissingShare).toBeCloseTo(0.3, 1);
  });

  it('warns on a moderate shift', () => {
    const window = new LiveFeatureWindow(references);
    feed(window, 6, { ...NO_SHIFT, priceMean: 0.4 });
    const report = window.report();
    expect(report.status).toBe('warn');
    expect(report.warned).toEqual(['relativePrice']);
  });

  it('lets a shift take over as the old hours leave the window, and forgets it after 24 hours', () => {
    const window = new LiveFeatureWindow(references);
    const shifted = { ...NO_SHIFT, priceMean: 1 };
    feed(window, 7, NO_SHIFT, 400, 0, 24);
    feed(window, 8, shifted, 400, 24, 3);
    const early = window.report().features[0]!.psi;
    feed(window, 9, shifted, 400, 27, 21);
    const full = window.report().features[0]!.psi;
    expect(early).toBeLessThan(full);
    expect(window.report().status).toBe('drifted');
    feed(window, 10, NO_SHIFT, 400, 48, 24);
    expect(window.report().status).toBe('ok');
  });

  it('says a thin window is insufficient data rather than ok', () => {
    const window = new LiveFeatureWindow(references);
    window.addRows(stream(100, 11, NO_SHIFT), T0);
    expect(window.report().status).toBe('insufficient-data');
    expect(new LiveFeatureWindow(references).report().status).toBe('insufficient-data');
  });
});
