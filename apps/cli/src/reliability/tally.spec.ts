import fc from 'fast-check';
import type { HttpResult } from './http';
import { Tally } from './tally';

const answer = (status: number, headers: Record<string, string> = {}, text = ''): HttpResult => ({ status, headers, text, ms: 1 });
const noAnswer = (timedOut = false): HttpResult => ({ status: 0, error: timedOut ? 'no answer within 100 ms' : 'ECONNREFUSED', timedOut, ms: 1 });

describe(Tally.name, () => {
  it('counts requests without an answer as errors, not as statuses', () => {
    const tally = new Tally();
    tally.record(noAnswer(), 'GET /health');
    tally.record(noAnswer(true), 'GET /health');
    expect(tally).toMatchObject({ requests: 2, noAnswer: 2, serverErrors: 0, retryLater: 0, contractErrors: 0 });
    expect(tally.errors).toBe(2);
    expect([...tally.statuses]).toEqual([]);
  });

  it('counts answers by status', () => {
    const tally = new Tally();
    for (const status of [200, 200, 404, 201, 200]) tally.record(answer(status), 'x');
    expect(new Map(tally.statuses)).toEqual(
      new Map([
        [200, 3],
        [404, 1],
        [201, 1],
      ]),
    );
    expect(tally).toMatchObject({ requests: 5, noAnswer: 0, serverErrors: 0, retryLater: 0 });
    expect(tally.errors).toBe(0);
  });

  it('counts a 503 with Retry-After as the API asking to retry later, not as a server error', () => {
    const tally = new Tally();
    tally.record(answer(503, { 'retry-after': '1' }), 'POST /v1/sales');
    expect(tally).toMatchObject({ retryLater: 1, serverErrors: 0 });
    expect(tally.examples).toEqual([]);
  });

  it('counts a 503 without Retry-After, and any other 5xx, as a server error with an example', () => {
    const tally = new Tally();
    tally.record(answer(503, {}, 'down'), 'POST /v1/sales');
    tally.record(answer(500, { 'retry-after': '1' }, 'boom'), 'POST /v1/prices');
    expect(tally).toMatchObject({ retryLater: 0, serverErrors: 2 });
    expect(tally.examples).toEqual(['POST /v1/sales → 503 down', 'POST /v1/prices → 500 boom']);
  });

  it('keeps 5xx out of `errors`, which counts only no-answers and broken contracts', () => {
    const tally = new Tally();
    tally.record(answer(500), 'a');
    tally.record(noAnswer(), 'b');
    tally.contract('POST /v1/sales → 400 text/html');
    expect(tally.serverErrors).toBe(1);
    expect(tally.errors).toBe(2);
    expect(tally.contractErrors).toBe(1);
  });

  it('cuts the body of a 5xx example to 300 characters', () => {
    const tally = new Tally();
    tally.record(answer(500, {}, 'x'.repeat(1_000)), 'GET /');
    expect(tally.examples[0]).toBe(`GET / → 500 ${'x'.repeat(300)}`);
  });

  it('keeps at most 20 examples, the first ones', () => {
    const tally = new Tally();
    for (let i = 0; i < 30; i++) tally.contract(`broken ${i}`);
    expect(tally.contractErrors).toBe(30);
    expect(tally.examples).toHaveLength(20);
    expect(tally.examples[0]).toBe('broken 0');
    expect(tally.examples[19]).toBe('broken 19');
  });

  it('accounts for every request exactly once (property)', () => {
    const resultArb: fc.Arbitrary<HttpResult> = fc.oneof(
      fc.boolean().map(noAnswer),
      fc.record({ status: fc.integer({ min: 100, max: 599 }), retry: fc.boolean() }).map(({ status, retry }) => answer(status, retry ? { 'retry-after': '2' } : {})),
    );
    fc.assert(
      fc.property(fc.array(resultArb, { maxLength: 60 }), (results) => {
        const tally = new Tally();
        for (const result of results) tally.record(result, 'route');
        const answered = [...tally.statuses.values()].reduce((sum, n) => sum + n, 0);
        expect(tally.requests).toBe(results.length);
        expect(tally.noAnswer + answered).toBe(results.length);
        const fiveHundreds = results.filter((result) => result.status >= 500).length;
        expect(tally.serverErrors + tally.retryLater).toBe(fiveHundreds);
        expect(tally.retryLater).toBeLessThanOrEqual(tally.statuses.get(503) ?? 0);
        expect(tally.examples.length).toBe(Math.min(20, tally.serverErrors));
      }),
    );
  });
});
