import { DomainError, SeededRandom } from '@dynaprice/kernel';
import { createAssigner, type VariantDefinition } from './assignment';
import { holmAdjust } from './holm';
import { buildExperimentResults, type ResultsInput, type UnitAggregate } from './results';

const variants: VariantDefinition[] = [
  { key: 'legacy', weight: 0.7 },
  { key: 'model', weight: 0.3 },
];

interface Scenario {
  seed?: number;
  stores?: number;
  /** Multiplier on the model arm's waste (1 = the model wastes 20 % less than legacy, as priced). */
  modelWasteFactor?: number;
}

/**
 * 300 stores assigned 70 / 30 by the real assigner. A store's size drives its exposures, its location
 * quality q its sales in both periods. The model sells 5 % more units at a 2.5 % lower price and wastes
 * 20 % less; true margin per exposure: legacy 1.5 q − 0.3, model 1.47 q − 0.24 (+2.5 % at q = 1).
 */
function storeExperiment({ seed = 11, stores = 300, modelWasteFactor = 1 }: Scenario = {}): UnitAggregate[] {
  const random = new SeededRandom(seed);
  const assign = createAssigner({ salt: 'q1-2026-margin', unit: 'store', variants });
  return Array.from({ length: stores }, (_, i) => {
    const unitId = `store-${String(i).padStart(3, '0')}`;
    const variant = assign(unitId) as string;
    const model = variant === 'model';
    const size = random.uniform(0.5, 2);
    const quality = 1 + random.normal(0, 0.15);
    const exposures = Math.round(600 * size);
    const units = exposures * quality * (model ? 1.05 : 1) * (1 + random.normal(0, 0.05));
    const price = model ? 3.9 : 4;
    const wasteCost = exposures * 0.3 * (model ? 0.8 * modelWasteFactor : 1) * (1 + random.normal(0, 0.1));
    const preExposures = Math.round(exposures * random.uniform(0.9, 1.1));
    const preMargin = preExposures * (1.5 * quality - 0.3) * (1 + random.normal(0, 0.03));
    return { unitId, variant, exposures, units, revenue: units * price, costOfGoods: units * 2.5, wasteCost, preMargin, preExposures };
  });
}

const input = (units: UnitAggregate[], extra: Partial<ResultsInput> = {}): ResultsInput => ({
  experimentId: 'exp-q1-2026',
  controlVariant: 'legacy',
  variants,
  units,
  ...extra,
});

describe(buildExperimentResults.name, () => {
  const units = storeExperiment();
  const results = buildExperimentResults(input(units));
  const comparison = results.comparisons[0]!;

  it('totals every variant and divides margin by exposures', () => {
    for (const variant of results.variants) {
      const rows = units.filter((row) => row.variant === variant.variant);
      const margin = rows.reduce((sum, row) => sum + row.revenue - row.costOfGoods - row.wasteCost, 0);
      const exposures = rows.reduce((sum, row) => sum + row.exposures, 0);
      expect(variant.unitCount).toBe(rows.length);
      expect(variant.exposures).toBe(exposures);
      expect(variant.grossMargin).toBeCloseTo(margin, 2);
      expect(variant.marginPerExposure).toBeCloseTo(margin / exposures, 12);
      const [lower, upper] = variant.marginPerExposureInterval!;
      expect(lower).toBeLessThan(variant.marginPerExposure!);
      expect(upper).toBeGreaterThan(variant.marginPerExposure!);
    }
    expect(results.variants.reduce((sum, variant) => sum + variant.unitCount, 0)).toBe(300);
  });

  it('estimates the lift of margin per exposure, and CUPED narrows its interval around the true +2.5 %', () => {
    const primary = comparison.primary!;
    const plain = primary.plain.relativeLift!;
    const cuped = primary.cuped!.relativeLift!;
    expect(plain.estimate).toBeCloseTo(primary.plain.treatment / primary.plain.control - 1, 12);
    expect(primary.cuped!.varianceReduction).toBeGreaterThan(0.5);
    expect(cuped.standardError).toBeLessThan(plain.standardError);
    expect(cuped.confidenceInterval[0]).toBeLessThan(0.025);
    expect(cuped.confidenceInterval[1]).toBeGreaterThan(0.025);
  });

  it('runs the sequential test on the CUPED lift and returns its state for the next run', () => {
    const sequential = comparison.primary!.sequential;
    expect(sequential.basis).toBe('cuped');
    expect(sequential.state.looks).toBe(1);
    expect(sequential.state.estimate).toBeCloseTo(comparison.primary!.cuped!.relativeLift!.estimate, 12);
    expect(results.sequentialStates['model']).toEqual(sequential.state);
    const next = buildExperimentResults(input(storeExperiment({ seed: 12 }), { previousSequential: results.sequentialStates }));
    const state = next.comparisons[0]!.primary!.sequential.state;
    expect(state.looks).toBe(2);
    expect(state.pValue).toBeLessThanOrEqual(sequential.state.pValue);
  });

  it('Holm-adjusts units, revenue and waste together, never below the raw p-values', () => {
    expect(comparison.secondary.map((metric) => metric.metric)).toEqual(['unitsPerExposure', 'revenuePerExposure', 'wastePerExposure']);
    const raw = comparison.secondary.map((metric) => metric.relativeLift!.pValue);
    expect(comparison.secondary.map((metric) => metric.adjustedPValue)).toEqual(holmAdjust(raw));
    comparison.secondary.forEach((metric, i) => expect(metric.adjustedPValue).toBeGreaterThanOrEqual(raw[i]!));
    // The model wastes 20 % less: significant even after adjustment.
    const waste = comparison.secondary.find((metric) => metric.metric === 'wastePerExposure')!;
    expect(waste.relativeLift!.estimate).toBeLessThan(-0.1);
    expect(waste.significant).toBe(true);
  });

  it('passes the SRM check on a correct split and flags one where model stores went missing', () => {
    expect(results.srm.flagged).toBe(false);
    expect(results.srm.variants).toEqual(['legacy', 'model']);
    let dropped = 0;
    const broken = units.filter((row) => row.variant !== 'model' || dropped++ % 2 === 0);
    const flagged = buildExperimentResults(input(broken));
    expect(flagged.srm.flagged).toBe(true);
    expect(flagged.warnings.some((warning) => warning.startsWith('sample ratio mismatch'))).toBe(true);
  });

  it('returns plain JSON: only finite numbers, strings, booleans and nulls', () => {
    // NaN and ±Infinity would come back as null and undefined as missing: toStrictEqual notices both.
    expect(JSON.parse(JSON.stringify(results))).toStrictEqual(results);
  });

  it('recommends fallback when a guardrail regresses significantly, and says why', () => {
    const wasteful = buildExperimentResults(
      input(storeExperiment({ modelWasteFactor: 2 }), { guardrails: [{ metric: 'wastePerExposure', tolerance: 0.05 }, { metric: 'marginPerExposure', tolerance: 0.02 }] }),
    );
    const guarded = wasteful.comparisons[0]!;
    const waste = guarded.guardrails.find((guardrail) => guardrail.metric === 'wastePerExposure')!;
    expect(waste.direction).toBe('lower_is_better');
    expect(waste.breached).toBe(true);
    expect(waste.reason).toMatch(/above 0.05/);
    expect(guarded.fallbackRecommended).toBe(true);
    expect(Object.keys(wasteful.sequentialStates).sort()).toEqual(['model', 'model:marginPerExposure', 'model:wastePerExposure']);
    // The healthy experiment breaches nothing.
    const healthy = buildExperimentResults(input(units, { guardrails: [{ metric: 'wastePerExposure', tolerance: 0.05 }] }));
    expect(healthy.comparisons[0]!.fallbackRecommended).toBe(false);
  });

  it('tunes a guardrail to the regression it should catch: on 24 noisy units a 5× waste rate breaches with τ = 0.5, not with τ = 0.05', () => {
    // 12 units per arm; the treatment's waste rate is about five times the control's (relative lift ≈ +4.5, standard error ≈ 0.37).
    const few: UnitAggregate[] = Array.from({ length: 24 }, (_, i) => {
      const treated = i % 2 === 1;
      const sold = 5 + (i % 3) + (i % 5);
      const waste = treated ? 8 + 2 * (i % 4) : 1 + 2 * (i % 2);
      return { unitId: `u${i}`, variant: treated ? 'model' : 'legacy', exposures: 1, units: sold, revenue: sold * 4, costOfGoods: sold * 2.5, wasteCost: waste * 2.3 };
    });
    const check = (mixingEffect?: number) =>
      buildExperimentResults(input(few, { variants: [{ key: 'legacy', weight: 0.5 }, { key: 'model', weight: 0.5 }], guardrails: [{ metric: 'wasteRate', tolerance: 0.05, mixingEffect }] }))
        .comparisons[0]!.guardrails[0]!;
    const broad = check(0.5);
    expect(broad.state.mixingVariance).toBeCloseTo(0.25, 12);
    expect(broad.breached).toBe(true);
    // The default τ (a 5 % effect) needs far more units to reject: the same data does not breach.
    const narrow = check();
    expect(narrow.state.mixingVariance).toBeCloseTo(0.0025, 12);
    expect(narrow.breached).toBe(false);
    // The estimate is the same either way; only the width of the always-valid interval differs.
    expect(broad.state.estimate).toBeCloseTo(narrow.state.estimate!, 12);
    expect(() => buildExperimentResults(input(few, { guardrails: [{ metric: 'wasteRate', tolerance: 0.05, mixingEffect: 0 }] }))).toThrow(DomainError);
  });

  it('skips CUPED, with a warning, when a unit has no pre-period margin', () => {
    const partial = units.map((row, i) => (i === 0 ? { ...row, preMargin: undefined } : row));
    const result = buildExperimentResults(input(partial));
    expect(result.comparisons[0]!.primary!.cuped).toBeNull();
    expect(result.comparisons[0]!.primary!.sequential.basis).toBe('plain');
    expect(result.warnings.some((warning) => warning.includes('CUPED skipped'))).toBe(true);
  });

  it('reports no comparison yet while an arm has fewer than two units', () => {
    const early = units.filter((row) => row.variant === 'legacy').concat(units.find((row) => row.variant === 'model')!);
    const result = buildExperimentResults(input(early));
    expect(result.comparisons[0]!.primary).toBeNull();
    expect(result.comparisons[0]!.secondary).toEqual([]);
    expect(result.warnings.some((warning) => warning.includes('no comparison yet'))).toBe(true);
  });

  it('builds a daily series with cumulative margin per exposure', () => {
    const day = (date: string, variant: string, exposures: number, revenue: number) => ({ date, variant, exposures, units: 10, revenue, costOfGoods: 50, wasteCost: 10 });
    const result = buildExperimentResults(
      input(units, { daily: [day('2026-01-02', 'legacy', 100, 160), day('2026-01-01', 'legacy', 100, 140), day('2026-01-01', 'model', 50, 100)] }),
    );
    expect(result.daily.map((point) => [point.date, point.variant, point.grossMargin, point.cumulativeMarginPerExposure])).toEqual([
      ['2026-01-01', 'legacy', 80, 0.8],
      ['2026-01-01', 'model', 40, 0.8],
      ['2026-01-02', 'legacy', 100, 0.9],
    ]);
  });

  it('refuses bad input, naming every offending field', () => {
    const bad = [...units.slice(0, 3), { ...units[3]!, exposures: -1 }, { ...units[4]!, variant: 'mystery' }, { ...units[5]!, unitId: units[0]!.unitId }];
    let caught: unknown;
    try {
      buildExperimentResults(input(bad, { controlVariant: 'nope' }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).problems.map((problem) => problem.field)).toEqual(['controlVariant', 'units[3].exposures', 'units[4].variant', 'units[5].unitId']);
  });
});
