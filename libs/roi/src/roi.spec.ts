import { DomainError } from '@dynaprice/kernel';
import fc from 'fast-check';
import { businessScale, computeRoi, type RoiInput } from './roi';

// The book's case study: 30 % of traffic on model pricing, 12 % profit increase over the first quarter,
// quarterly baseline gross profit $308,333.33, cloud $5,000 per month for three months, $10,000 of
// development → ROI 48 % on cost.
const caseStudy: RoiInput = {
  baseline: 308_333.33,
  improvement: { kind: 'relative', lift: 0.12 },
  costs: { months: 3, cloudPerMonth: 5_000, developmentCost: 10_000 },
};

describe(computeRoi.name, () => {
  it("reproduces the book's case study: ROI 48.0 % on cost", () => {
    const result = computeRoi(caseStudy);
    // gain  = 0.12 × 308,333.33          = 36,999.9996 → 37,000.00
    expect(result.gain).toBe(37_000);
    // cost  = 5,000 × 3 + 10,000         = 25,000.00
    expect(result.costs).toEqual({ cloud: 15_000, development: 10_000, operations: 0, total: 25_000 });
    // net   = 37,000 − 25,000            = 12,000.00
    expect(result.netGain).toBe(12_000);
    // ROI   = 12,000 / 25,000 × 100      = 48.0 %
    expect(result.roiPercent).toBe(48);
    // share = 37,000 / 308,333.33 × 100  = 12.0 % of the baseline
    expect(result.gainShareOfBaselinePercent).toBe(12);
    expect(result.flagged).toBe(false);
  });

  it('gives the same answer with development as 200 hours at $50 and the gain as units × value', () => {
    expect(computeRoi({ ...caseStudy, costs: { months: 3, cloudPerMonth: 5_000, developmentHours: 200, hourlyRate: 50 } }).roiPercent).toBe(48);
    expect(computeRoi({ ...caseStudy, improvement: { kind: 'per_unit', units: 10_000, valuePerUnit: 3.7 } }).roiPercent).toBe(48);
  });

  it('flags an ROI below 10 %', () => {
    // 0.08 × 308,333.33 = 24,666.67; (24,666.67 − 25,000) / 25,000 = −1.33 %
    const low = computeRoi({ ...caseStudy, improvement: { kind: 'relative', lift: 0.08 } });
    expect(low.roiPercent).toBe(-1.33);
    expect(low.flagged).toBe(true);
    // 0.09 × 308,333.33 = 27,750.00; (27,750 − 25,000) / 25,000 = 11 %: not flagged.
    expect(computeRoi({ ...caseStudy, improvement: { kind: 'relative', lift: 0.09 } }).flagged).toBe(false);
  });

  it('adds operations per month and scales a control-arm baseline to the whole business', () => {
    // Control arm (70 % of stores) earned 215,833.33: the business earns 215,833.33 / 0.7 = 308,333.33.
    const result = computeRoi({
      baseline: 215_833.331,
      improvement: { kind: 'relative', lift: 0.12 },
      scaleToBusiness: businessScale(0.7),
      costs: { months: 3, cloudPerMonth: 5_000, developmentCost: 10_000, operationsPerMonth: 1_000 },
    });
    expect(result.baseline).toBe(308_333.33);
    expect(result.costs.total).toBe(28_000);
    // (37,000 − 28,000) / 28,000 = 32.14 %
    expect(result.roiPercent).toBe(32.14);
  });

  it('has no ROI without cost, and flags it', () => {
    const free = computeRoi({ ...caseStudy, costs: { months: 3 } });
    expect(free.roiPercent).toBeNull();
    expect(free.flagged).toBe(true);
  });

  it('has the sign of gain − cost', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 10_000_000 }), fc.double({ min: -0.5, max: 0.5, noNaN: true }), fc.integer({ min: 1, max: 100_000 }), (baseline, lift, cloud) => {
        const result = computeRoi({ baseline, improvement: { kind: 'relative', lift }, costs: { months: 1, cloudPerMonth: cloud } });
        const netIsGainMinusCost = Math.abs(result.netGain - (result.gain - result.costs.total)) < 0.005;
        return result.roiPercent !== null && netIsGainMinusCost && (result.roiPercent === 0 || Math.sign(result.roiPercent) === Math.sign(result.netGain));
      }),
    );
  });

  it('names invalid inputs', () => {
    let caught: unknown;
    try {
      computeRoi({ ...caseStudy, costs: { months: -1, cloudPerMonth: 5_000, developmentHours: 10 } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).problems.map((problem) => problem.field)).toEqual(['costs.months', 'costs.hourlyRate']);
  });
});

describe(businessScale.name, () => {
  it('is the inverse of the measured share and refuses shares outside (0, 1]', () => {
    expect(businessScale(0.25)).toBe(4);
    expect(() => businessScale(0)).toThrow(DomainError);
  });
});
