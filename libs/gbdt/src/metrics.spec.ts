import { regressionMetrics } from './metrics';

describe(regressionMetrics.name, () => {
  it('computes RMSE, MAE, WAPE and RMSE on log1p in units', () => {
    const m = regressionMetrics([1, 3, 0, 4], [2, 1, 0, 4]);
    expect(m.rmse).toBeCloseTo(Math.sqrt((1 + 4) / 4), 12);
    expect(m.mae).toBeCloseTo(3 / 4, 12);
    expect(m.wape).toBeCloseTo(3 / 8, 12);
    expect(m.rmseLog1p).toBeCloseTo(Math.sqrt(((Math.log(2) - Math.log(3)) ** 2 + (Math.log(4) - Math.log(2)) ** 2) / 4), 12);
    expect(m.rows).toBe(4);
  });

  it('floors negative predictions at 0 for the log1p error only', () => {
    const m = regressionMetrics([0], [-2]);
    expect(m.rmseLog1p).toBe(0);
    expect(m.mae).toBe(2);
    expect(m.wape).toBeNaN();
  });
});
