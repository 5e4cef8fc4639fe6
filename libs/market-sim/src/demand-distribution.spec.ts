import { SeededRandom } from '@dynaprice/kernel';
import { censoredDemand, demandQuantile } from './demand-distribution';

function draws(mean: number, size: number, count: number, seed: number): number[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => demandQuantile(mean, size, random.next()));
}

describe('demand distribution', () => {
  it.each([
    [6, Number.POSITIVE_INFINITY],
    [6, 8],
    [40, 6],
    [900, 10],
  ])('draws with mean %d and size %d have that mean and variance μ + μ²/r', (mean, size) => {
    const sample = draws(mean, size, 20_000, 42);
    const sampleMean = sample.reduce((sum, value) => sum + value, 0) / sample.length;
    const variance = sample.reduce((sum, value) => sum + (value - sampleMean) ** 2, 0) / (sample.length - 1);
    const trueVariance = Number.isFinite(size) ? mean + (mean * mean) / size : mean;
    expect(Math.abs(sampleMean - mean)).toBeLessThan(4 * Math.sqrt(trueVariance / sample.length));
    expect(variance / trueVariance).toBeGreaterThan(0.9);
    expect(variance / trueVariance).toBeLessThan(1.1);
  });

  it('is monotone in the uniform and in the mean (common random numbers)', () => {
    const random = new SeededRandom(7);
    for (let i = 0; i < 500; i++) {
      const u = random.next();
      const mean = random.uniform(0.1, 30);
      expect(demandQuantile(mean * 1.3, 8, u)).toBeGreaterThanOrEqual(demandQuantile(mean, 8, u));
      expect(demandQuantile(mean, 8, Math.min(0.999999, u + 0.05))).toBeGreaterThanOrEqual(demandQuantile(mean, 8, u));
    }
    expect(demandQuantile(0, 8, 0.99)).toBe(0);
  });

  it('gives E[min(D, stock)] and E[max(0, expiring − D)] matching a Monte Carlo estimate', () => {
    const cases = [
      { mean: 5, size: 8, stock: 7, expiring: 3 },
      { mean: 12, size: 6, stock: 10, expiring: 10 },
      { mean: 2, size: Number.POSITIVE_INFINITY, stock: 9, expiring: 4 },
    ];
    for (const { mean, size, stock, expiring } of cases) {
      const sample = draws(mean, size, 40_000, 3);
      const sold = sample.reduce((sum, d) => sum + Math.min(d, stock), 0) / sample.length;
      const unsold = sample.reduce((sum, d) => sum + Math.max(0, expiring - d), 0) / sample.length;
      const exact = censoredDemand(mean, size, stock, expiring);
      expect(exact.unitsSold).toBeCloseTo(sold, 1);
      expect(exact.unsoldExpiring).toBeCloseTo(unsold, 1);
    }
  });

  it('handles no stock, no demand and huge demand', () => {
    expect(censoredDemand(10, 8, 0, 0)).toEqual({ unitsSold: 0, unsoldExpiring: 0 });
    expect(censoredDemand(0, 8, 5, 3)).toEqual({ unitsSold: 0, unsoldExpiring: 3 });
    const flooded = censoredDemand(5000, 8, 20, 20);
    expect(flooded.unitsSold).toBeCloseTo(20, 6);
    expect(flooded.unsoldExpiring).toBeCloseTo(0, 6);
    // A trickle of demand against a big stock: almost everything expiring is left.
    expect(censoredDemand(0.01, Number.POSITIVE_INFINITY, 50, 40).unsoldExpiring).toBeCloseTo(39.99, 2);
  });
});
