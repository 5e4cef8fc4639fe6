import fc from 'fast-check';
import type { HttpResult } from './http';
import { responseViolations } from './problem-check';

const PROBLEM = 'application/problem+json';

function answer(status: number, body: unknown, contentType: string | null = PROBLEM): HttpResult {
  return { status, headers: contentType === null ? {} : { 'content-type': contentType }, text: typeof body === 'string' ? body : JSON.stringify(body), ms: 1 };
}

const problem = (status: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'about:blank', title: 'Bad Request', status, detail: 'storeId must be a string', ...extra });

describe(responseViolations.name, () => {
  it('accepts a success, whatever its body', () => {
    expect(responseViolations(answer(200, { ok: true }, 'application/json'))).toEqual([]);
    expect(responseViolations(answer(204, '', null))).toEqual([]);
    expect(responseViolations(answer(302, 'not json', 'text/html'))).toEqual([]);
  });

  it('accepts a well-formed problem+json refusal, with a charset too', () => {
    expect(responseViolations(answer(400, problem(400)))).toEqual([]);
    expect(responseViolations(answer(404, problem(404), 'application/problem+json; charset=utf-8'))).toEqual([]);
  });

  it('reports a request that got no answer', () => {
    expect(responseViolations({ status: 0, error: 'ECONNRESET', timedOut: false, ms: 3 })).toEqual(['no answer (ECONNRESET)']);
  });

  it('reports every 5xx, even a well-formed problem', () => {
    expect(responseViolations(answer(500, problem(500)))).toEqual(['500 server error']);
    expect(responseViolations(answer(503, problem(503)))).toEqual(['503 server error']);
  });

  it('reports a refusal that is not application/problem+json', () => {
    expect(responseViolations(answer(400, problem(400), 'application/json'))).toEqual(['400 with content-type "application/json", not application/problem+json']);
    expect(responseViolations(answer(400, problem(400), null))).toEqual(['400 with content-type "", not application/problem+json']);
  });

  it.each([
    ['an array', [problem(400)]],
    ['a string', 'Bad Request'],
    ['null', null],
    ['empty', ''],
  ])('reports a refusal whose body is %s, and nothing more about it', (_, body) => {
    expect(responseViolations(answer(400, body))).toEqual(['400 body is not a JSON object']);
  });

  it('reports a problem whose status differs from the HTTP status, also as a string', () => {
    expect(responseViolations(answer(422, problem(400)))).toEqual(['problem status 400 differs from HTTP 422']);
    expect(responseViolations(answer(400, problem(400, { status: '400' })))).toEqual(['problem status "400" differs from HTTP 400']);
  });

  it('reports a problem without a title or detail, or with empty ones', () => {
    expect(responseViolations(answer(401, { status: 401 }))).toEqual(['problem without a title', 'problem without a detail']);
    expect(responseViolations(answer(401, problem(401, { title: '', detail: 42 })))).toEqual(['problem without a title', 'problem without a detail']);
  });

  it('asks a problem listing field errors to name the first one in `field`', () => {
    const errors = [{ field: 'events[0].soldAt', message: 'must be a date' }, { field: 'storeId' }];
    expect(responseViolations(answer(400, problem(400, { errors, field: 'events[0].soldAt' })))).toEqual([]);
    expect(responseViolations(answer(400, problem(400, { errors, field: 'storeId' })))).toEqual(['problem lists field errors but field is "storeId"']);
    expect(responseViolations(answer(400, problem(400, { errors })))).toEqual(['problem lists field errors but field is undefined']);
    expect(responseViolations(answer(400, problem(400, { errors: [] })))).toEqual([]);
  });

  it('lists several violations of one answer together', () => {
    expect(responseViolations(answer(500, { status: 400 }, 'text/plain'))).toEqual([
      '500 server error',
      '500 with content-type "text/plain", not application/problem+json',
      'problem status 400 differs from HTTP 500',
      'problem without a title',
      'problem without a detail',
    ]);
  });

  it('finds nothing wrong with any well-formed 4xx problem, and something with every 5xx (property)', () => {
    const text = fc.string({ minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 599 }), text, text, (status, title, detail) => {
        const violations = responseViolations(answer(status, { status, title, detail }));
        expect(violations).toEqual(status >= 500 ? [`${status} server error`] : []);
      }),
    );
  });
});
