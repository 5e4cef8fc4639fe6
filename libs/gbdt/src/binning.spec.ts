import { BinMapper, MISSING_BIN, numericThresholds, OTHER_BIN } from './binning';

describe(numericThresholds.name, () => {
  it('puts a float32 edge between every pair of distinct values when there are few', () => {
    const edges = numericThresholds(Float32Array.from([1, 1, 2, 3, 3, 10]), 255);
    expect(Array.from(edges)).toEqual([1.5, 2.5, 6.5]);
  });

  it('keeps every edge a float32 that separates adjacent float32 values', () => {
    const a = Math.fround(1.0000001);
    const b = Math.fround(a + 1.2e-7);
    const edges = numericThresholds(Float32Array.from([a, b]), 255);
    expect(edges).toHaveLength(1);
    const edge = edges[0] as number;
    expect(Math.fround(edge)).toBe(edge);
    expect(a <= edge && edge < b).toBe(true);
  });

  it('uses at most maxBins bins (quantile edges) for many distinct values', () => {
    const values = Float32Array.from({ length: 100_000 }, (_, i) => Math.sqrt(i)).sort();
    const edges = numericThresholds(values, 255);
    expect(edges.length).toBeLessThanOrEqual(254);
    expect(edges.length).toBeGreaterThan(240);
    for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThan(edges[i - 1] as number);
  });
});

describe(BinMapper.name, () => {
  const specs = [
    { name: 'x', type: 'numeric' as const },
    { name: 'c', type: 'categorical' as const },
  ];

  it('bins a row-major matrix column by column, with NaN in the missing bin', () => {
    const rows = 100_000;
    const features = new Float32Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      features[r * 2] = r % 97 === 0 ? Number.NaN : (r * 7919) % 1000;
      features[r * 2 + 1] = r % 5;
    }
    const { mapper } = BinMapper.fit(features, rows, specs, 255, 20_000, 1);
    const bins = mapper.transform(features, rows, ['x', 'c']);
    for (const r of [0, 1, 96, 97, 5000, 99_999]) {
      expect(bins[r]).toBe(mapper.bin(0, features[r * 2] as number));
      expect(bins[rows + r]).toBe(mapper.bin(1, features[r * 2 + 1] as number));
    }
    expect(bins[0]).toBe(MISSING_BIN);
    // Every value lands in the bin its edges describe.
    const t = mapper.features[0]?.thresholds as Float32Array;
    for (let r = 1; r < 2000; r++) {
      const v = features[r * 2] as number;
      if (Number.isNaN(v)) continue;
      const b = bins[r] as number;
      if (b > 0) expect(v).toBeGreaterThan(t[b - 1] as number);
      if (b < t.length) expect(v).toBeLessThanOrEqual(t[b] as number);
    }
  });

  it('maps category codes to their own bins and anything unseen to the other bin', () => {
    const features = Float32Array.from([0, 7, 1, 7, 2, 3, 3, 7]);
    const { mapper, reference } = BinMapper.fit(features, 4, specs, 255, 100, 1);
    expect(mapper.bin(1, 7)).toBe(mapper.bin(1, 7));
    expect(mapper.bin(1, 3)).not.toBe(mapper.bin(1, 7));
    expect(mapper.bin(1, 12)).toBe(OTHER_BIN);
    expect(mapper.bin(1, Number.NaN)).toBe(MISSING_BIN);
    expect(reference[1]?.edges).toEqual([3, 7]);
    expect(reference[1]?.proportions).toEqual([0.25, 0.75]);
  });

  it('describes each numeric feature by quantile edges and proportions for drift checks', () => {
    const rows = 10_000;
    const features = new Float32Array(rows * 2);
    for (let r = 0; r < rows; r++) features[r * 2] = r < 1000 ? Number.NaN : r;
    const { reference } = BinMapper.fit(features, rows, specs, 255, rows, 1);
    const x = reference[0];
    expect(x?.missing).toBeCloseTo(0.1, 5);
    expect(x?.edges.length).toBe(19);
    expect(x?.proportions.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
    for (const p of x?.proportions ?? []) expect(p).toBeCloseTo(0.05, 2);
    expect(x?.min).toBe(1000);
    expect(x?.max).toBe(rows - 1);
  });
});
