import { MIN_POISSON_GROUP, POISSON_TABLE, PoissonSampler, streamSeed } from './poisson-weights';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}

describe(PoissonSampler.name, () => {
  it('has a Poisson(1) table within 2^-16 of e^-1/k! for every k', () => {
    const counts = new Map<number, number>();
    for (const k of POISSON_TABLE) counts.set(k, (counts.get(k) ?? 0) + 1);
    let factorial = 1;
    for (let k = 0; k <= 8; k++) {
      if (k > 0) factorial *= k;
      expect(Math.abs((counts.get(k) ?? 0) / POISSON_TABLE.length - Math.exp(-1) / factorial)).toBeLessThanOrEqual(1 / 65536);
    }
  });

  it('draws Poisson(1) weights with mean 1 and variance 1', () => {
    const sampler = new PoissonSampler(1);
    const { mean, variance } = moments(() => sampler.one(), 400_000);
    expect(Math.abs(mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });

  it.each([3, MIN_POISSON_GROUP, 40, 64, 200])('draws Poisson(%i) with matching mean and variance', (m) => {
    const sampler = new PoissonSampler(7);
    const { mean, variance } = moments(() => sampler.draw(m), 100_000);
    expect(Math.abs(mean / m - 1)).toBeLessThan(0.01);
    expect(Math.abs(variance / m - 1)).toBeLessThan(0.03);
  });

  it('repeats the same stream for the same seed', () => {
    const a = new PoissonSampler(streamSeed(3, 'loyaltyTier'));
    const b = new PoissonSampler(streamSeed(3, 'loyaltyTier'));
    const c = new PoissonSampler(streamSeed(3, 'ageBand'));
    const drawA = Array.from({ length: 50 }, () => a.draw(20));
    expect(Array.from({ length: 50 }, () => b.draw(20))).toEqual(drawA);
    expect(Array.from({ length: 50 }, () => c.draw(20))).not.toEqual(drawA);
  });
});
