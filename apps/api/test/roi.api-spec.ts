import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock';
import { expectProblem, startTestApp, TEST_DATABASE, type TestApp, type TestResponse } from './support/test-app';

/** A JSON answer (the harness types bodies loosely). */
type Body = TestResponse['body'];

describe(`ROI for finance (${TEST_DATABASE})`, () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  async function cost(body: Record<string, unknown>): Promise<Body> {
    const response = await api.request('POST', '/v1/roi/costs', body);
    expect(response.status).toBe(201);
    return response.body;
  }

  it("reproduces the book's case study from its own inputs: ROI 48.0 % in the first quarter", async () => {
    // Cloud $5,000 a month for three months, $10,000 of development, a 12 % increase on a quarterly
    // baseline gross profit of $308,333.33 (docs/roi.md shows the arithmetic).
    await cost({ category: 'cloud', recurrence: 'monthly', amount: 5_000, effectiveFrom: '2026-01', effectiveTo: '2026-03', description: 'Fargate, RDS, API Gateway' });
    await cost({ category: 'development', recurrence: 'one_off', amount: 10_000, effectiveFrom: '2026-01', description: 'Integration' });
    const outcome = await api.request('POST', '/v1/roi/outcomes', { period: '2026-Q1', baseline: 308_333.33, relativeLift: 0.12, description: 'Case study quarter' });
    expect(outcome.status).toBe(201);

    const report = await api.request('GET', '/v1/roi?groupBy=quarter&from=2026-01&to=2026-03');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ groupBy: 'quarter', from: '2026-01', to: '2026-03', flagBelowPercent: 10, flagged: [] });
    expect(report.body.rows).toEqual([
      {
        period: '2026-Q1',
        grouping: 'quarter',
        from: '2026-01',
        to: '2026-03',
        months: 3,
        baseline: 308_333.33,
        gain: 37_000,
        cloudCost: 15_000,
        developmentCost: 10_000,
        operationsCost: 0,
        totalCost: 25_000,
        netGain: 12_000,
        roiPercent: 48,
        gainShareOfBaselinePercent: 12,
        decisions: 0,
        costPerThousandDecisions: null,
        flagged: false,
      },
    ]);

    // Per month: January carries the development cost and is flagged below 10 %.
    const monthly = (await api.request('GET', '/v1/roi?groupBy=month&from=2026-01&to=2026-03')).body;
    expect(monthly.rows.map((row: { period: string; roiPercent: number; flagged: boolean }) => [row.period, row.roiPercent, row.flagged])).toEqual([
      ['2026-01', -17.78, true],
      ['2026-02', 146.67, false],
      ['2026-03', 146.67, false],
    ]);
    expect(monthly.flagged).toEqual(['2026-01']);

    // The same through the calculator.
    const calculated = await api.request('POST', '/v1/roi/calculate', {
      baseline: 308_333.33,
      improvement: { kind: 'relative', lift: 0.12 },
      costs: { months: 3, cloudPerMonth: 5_000, developmentCost: 10_000 },
    });
    expect(calculated.body).toMatchObject({ gain: 37_000, netGain: 12_000, roiPercent: 48, gainShareOfBaselinePercent: 12, flagged: false, costs: { cloud: 15_000, development: 10_000, operations: 0, total: 25_000 } });
  });

  it('exports the report as CSV, by Accept header or ?format=csv', async () => {
    const byHeader = await api.request('GET', '/v1/roi?groupBy=quarter&from=2026-01&to=2026-03', undefined, { accept: 'text/csv' });
    expect(byHeader.status).toBe(200);
    expect(byHeader.headers['content-type']).toMatch(/^text\/csv/);
    expect(byHeader.headers['content-disposition']).toBe('attachment; filename="roi-by-quarter-2026-01-to-2026-03.csv"');
    expect(byHeader.text.split('\r\n')).toEqual([
      'period,grouping,from,to,months,baseline,gain,cloud_cost,development_cost,operations_cost,total_cost,net_gain,roi_percent,gain_share_of_baseline_percent,decisions,cost_per_1000_decisions,flagged',
      '2026-Q1,quarter,2026-01,2026-03,3,308333.33,37000.00,15000.00,10000.00,0.00,25000.00,12000.00,48.00,12.00,0,,false',
      '',
    ]);
    const byQuery = await api.request('GET', '/v1/roi?groupBy=quarter&from=2026-01&to=2026-03&format=csv');
    expect(byQuery.text).toBe(byHeader.text);
  });

  it('keeps cost entries editable, versioned and deletable', async () => {
    const cloud = await cost({ category: 'cloud', recurrence: 'monthly', amount: 5_000, effectiveFrom: '2025-01', effectiveTo: '2025-03' });
    await cost({ category: 'development', recurrence: 'one_off', hours: 200, hourlyRate: 50, effectiveFrom: '2025-01' });
    expect((await api.request('POST', '/v1/roi/outcomes', { period: '2025-Q1', baseline: 308_333.33, relativeLift: 0.12 })).status).toBe(201);
    const q1 = async (): Promise<Record<string, number>> => (await api.request('GET', '/v1/roi?groupBy=quarter&from=2025-01&to=2025-03')).body.rows[0];
    expect(await q1()).toMatchObject({ totalCost: 25_000, roiPercent: 48 });

    const edited = await api.request('PATCH', `/v1/roi/costs/${cloud.id}`, { amount: 6_000, expectedVersion: 1 });
    expect(edited.body).toMatchObject({ amount: 6_000, version: 2 });
    // (37,000 − 28,000) / 28,000 = 32.14 %.
    expect(await q1()).toMatchObject({ cloudCost: 18_000, totalCost: 28_000, roiPercent: 32.14 });
    expectProblem(await api.request('PATCH', `/v1/roi/costs/${cloud.id}`, { amount: 7_000, expectedVersion: 1 }), 409);
    expect((await api.request('GET', `/v1/roi/costs/${cloud.id}`)).body).toMatchObject({ amount: 6_000, version: 2 });

    expect((await api.request('DELETE', `/v1/roi/costs/${cloud.id}`)).status).toBe(204);
    expectProblem(await api.request('GET', `/v1/roi/costs/${cloud.id}`), 404);
    expect(await q1()).toMatchObject({ totalCost: 10_000, roiPercent: 270 });
    const development = (await api.request('GET', '/v1/roi/costs?category=development')).body.items;
    expect(development.filter((entry: { effectiveFrom: string }) => entry.effectiveFrom === '2025-01')).toEqual([expect.objectContaining({ hours: 200, hourlyRate: 50, amount: null })]);
  });

  it('names the offending field of a bad cost entry or outcome', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ category: 'development', recurrence: 'one_off', amount: 1, effectiveFrom: '2026-01', effectiveTo: '2026-02' }, 'effectiveTo'],
      [{ category: 'cloud', recurrence: 'monthly', amount: 1, hours: 2, hourlyRate: 3, effectiveFrom: '2026-01' }, 'amount'],
      [{ category: 'cloud', recurrence: 'monthly', effectiveFrom: '2026-01' }, 'amount'],
      [{ category: 'cloud', recurrence: 'monthly', amount: 1, effectiveFrom: '2026-13' }, 'effectiveFrom'],
      [{ category: 'cloud', recurrence: 'monthly', amount: '5000', effectiveFrom: '2026-01' }, 'amount'],
      [{ category: 'marketing', recurrence: 'monthly', amount: 1, effectiveFrom: '2026-01' }, 'category'],
      [{ category: 'cloud', recurrence: 'monthly', amount: 1, effectiveFrom: '2026-01', experimentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }, 'experimentId'],
    ];
    for (const [body, field] of cases) expect(expectProblem(await api.request('POST', '/v1/roi/costs', body), 400).field).toBe(field);
    expect(expectProblem(await api.request('POST', '/v1/roi/outcomes', { period: '2026-Q5', baseline: 1, relativeLift: 0.1 }), 400).field).toBe('period');
    expect(expectProblem(await api.request('GET', '/v1/roi?groupBy=year'), 400).field).toBe('groupBy');
    expect(expectProblem(await api.request('POST', '/v1/roi/calculate', { baseline: 1, improvement: { kind: 'relative' }, costs: { months: 3 } }), 400).field).toBe('improvement.lift');
  });

  it('computes cost per 1,000 decisions from the measured decision volume and the cost entries', async () => {
    const clock = api.app.get(Clock);
    clock.set(Date.parse('2027-02-10T10:00:00Z'));
    expect((await api.request('POST', '/v1/stores', { id: 'F1', name: 'F1', region: 'R', cluster: 'c', timezone: 'UTC' })).status).toBe(201);
    const codes = ['A1', 'A2', 'A3', 'A4'];
    for (const code of codes) expect((await api.request('POST', '/v1/skus', { code, name: code, category: 'bakery', unitCost: 1, listPrice: 2, shelfLifeDays: 3 })).status).toBe(201);
    expect((await api.request('POST', '/v1/prices', { storeId: 'F1', items: codes.map((skuCode) => ({ skuCode })) })).status).toBe(200);
    clock.set(Date.parse('2027-02-11T10:00:00Z'));
    expect((await api.request('POST', '/v1/prices', { storeId: 'F1', items: codes.map((skuCode) => ({ skuCode })) })).status).toBe(200);
    await cost({ category: 'operations', recurrence: 'monthly', amount: 40, effectiveFrom: '2027-02', effectiveTo: '2027-02' });

    const report = (await api.request('GET', '/v1/roi?groupBy=month&from=2027-02&to=2027-02')).body;
    const db = api.app.get<DataSource>(getDataSourceToken());
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM price_decisions WHERE decided_at >= '2027-02-01' AND decided_at < '2027-03-01'`);
    expect(n).toBe(8);
    expect(report.rows).toEqual([expect.objectContaining({ period: '2027-02', decisions: 8, totalCost: 40, costPerThousandDecisions: 5_000, gain: 0, flagged: true })]);

    // From measured throughput and Fargate prices: 1 vCPU + 2 GB at $0.04048 + 2 × $0.004445 an hour, 500 requests a second.
    const unit = (await api.request('POST', '/v1/roi/unit-cost', { requestsPerSecondPerTask: 500, vcpu: 1, memoryGb: 2, decisionsPerRequest: 20 })).body;
    expect(unit.taskHourCost).toBeCloseTo(0.04937, 10);
    expect(unit.requestsPerTaskHour).toBe(1_800_000);
    expect(unit.costPerThousandRequests).toBeCloseTo((0.04937 / 1_800_000) * 1000, 14);
    expect(unit.costPerThousandDecisions).toBeCloseTo((0.04937 / 1_800_000) * 1000 / 20, 14);
  });
});
