import { Writable } from 'node:stream';
import { main } from '../main';
import { createAuditCommand } from './audit';

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

async function run(argv: string[], answers: Array<{ status: number; body: unknown }>, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; sent: Sent[] }> {
  const sent: Sent[] = [];
  const fakeFetch = (async (url: string, init: RequestInit) => {
    sent.push({ method: String(init.method), url, headers: init.headers as Record<string, string>, body: init.body === undefined ? undefined : JSON.parse(String(init.body)) });
    const answer = answers.shift() ?? { status: 500, body: { detail: 'no canned answer' } };
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': answer.status >= 400 ? 'application/problem+json' : 'application/json' } });
  }) as unknown as typeof fetch;
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: new Writable({ write: (chunk: Buffer, _e, done) => ((stdout += chunk.toString()), done()) }),
    stderr: new Writable({ write: (chunk: Buffer, _e, done) => ((stderr += chunk.toString()), done()) }),
  };
  const code = await main(['audit', ...argv], io, [createAuditCommand(env, fakeFetch)]);
  return { code, stdout, stderr, sent };
}

function audit(status: 'pass' | 'fail' | 'insufficient-data', reasons: Array<{ code: string; message: string }> = []): Record<string, unknown> {
  return {
    id: '01890a5d-ac96-774b-bcce-b302099a8057',
    trigger: 'manual',
    status,
    from: '2026-03-01T00:00:00.000Z',
    to: '2026-03-08T00:00:00.000Z',
    reasons,
    table: [
      {
        source: 'offered',
        attribute: 'loyaltyTier',
        status: status === 'fail' ? 'fail' : 'pass',
        observations: 600,
        segments: ['bronze=1.1195 (n=200)', `gold=${status === 'fail' ? '1.1531' : '1.1195'} (n=200)`],
        rawGap: 0.0294,
        stratifiedGap: status === 'fail' ? 0.029405 : 0,
        stratifiedGapCi: { low: 0.021, high: 0.037 },
        ratio: 0.97144,
        maxKs: 0.5,
        moved: null,
        note: '',
      },
      { source: 'counterfactual', attribute: 'loyaltyTier', status: 'pass', observations: 100, segments: ['loyaltyTier: bronze/gold'], rawGap: null, stratifiedGap: null, stratifiedGapCi: null, ratio: null, maxKs: null, moved: 0, note: '' },
    ],
  };
}

describe('dynaprice audit fairness', () => {
  it('runs an audit over the window with the API key, prints the table, exits 0 on pass', async () => {
    const result = await run(['fairness', '--from', '2026-03-01', '--to', '2026-03-08T00:00:00Z', '--key', 'dp_key'], [{ status: 201, body: audit('pass') }]);
    expect(result.code).toBe(0);
    expect(result.sent).toEqual([
      {
        method: 'POST',
        url: 'http://localhost:3000/v1/fairness/audits',
        headers: expect.objectContaining({ 'x-api-key': 'dp_key', 'content-type': 'application/json' }),
        body: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-08T00:00:00.000Z' },
      },
    ]);
    expect(result.stdout).toContain('Fairness audit 01890a5d-ac96-774b-bcce-b302099a8057 (manual), 2026-03-01T00:00:00.000Z … 2026-03-08T00:00:00.000Z: PASS');
    expect(result.stdout).toMatch(/offered\s+loyaltyTier\s+pass\s+600\s+bronze=1\.1195 \(n=200\), gold=1\.1195 \(n=200\)\s+0\.00 %\s+2\.10 % … 3\.70 %\s+0\.9714\s+2\.94 %\s+0\.500\s+—/);
    expect(result.stderr).toBe('');
  });

  it('exits 1 with one line when the audit fails, after printing why', async () => {
    const reasons = [{ code: 'stratified-gap', message: 'offered: loyaltyTier: stratified gap 2.94 % (gold vs bronze) exceeds 2.00 %' }];
    const result = await run(['fairness', '--sample', '40'], [{ status: 201, body: audit('fail', reasons) }], { DYNAPRICE_API_URL: 'http://api.test:8080/', DYNAPRICE_API_KEY: 'env_key' });
    expect(result.code).toBe(1);
    expect(result.sent[0]).toMatchObject({ url: 'http://api.test:8080/v1/fairness/audits', body: { counterfactualSample: 40 }, headers: expect.objectContaining({ 'x-api-key': 'env_key' }) });
    expect(result.stdout).toContain(': FAIL');
    expect(result.stdout).toContain('- offered: loyaltyTier: stratified gap 2.94 % (gold vs bronze) exceeds 2.00 %');
    expect(result.stderr).toBe('dynaprice: fairness audit 01890a5d-ac96-774b-bcce-b302099a8057 failed: offered: loyaltyTier: stratified gap 2.94 % (gold vs bronze) exceeds 2.00 %\n');
  });

  it('never passes an audit that could not judge', async () => {
    const result = await run(['fairness'], [{ status: 201, body: audit('insufficient-data', [{ code: 'no-observations', message: 'offered: no observations in the window: nothing to audit' }]) }]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not judge \(insufficient data\): offered: no observations/);
  });

  it('prints a stored audit with --id, and the JSON with --json', async () => {
    const result = await run(['fairness', '--id', '01890a5d-ac96-774b-bcce-b302099a8057', '--json'], [{ status: 200, body: audit('pass') }]);
    expect(result.code).toBe(0);
    expect(result.sent[0]).toMatchObject({ method: 'GET', url: 'http://localhost:3000/v1/fairness/audits/01890a5d-ac96-774b-bcce-b302099a8057' });
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'pass' });
  });

  it('says in one line what the API refused', async () => {
    const result = await run(['fairness'], [{ status: 403, body: { status: 403, title: 'Forbidden', detail: 'this call needs the permission fairness:run' } }]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('dynaprice: POST /v1/fairness/audits: 403 this call needs the permission fairness:run\n');
  });

  it.each([
    [['fairness', '--from', 'last week'], /--from must be an ISO date/],
    [['fairness', '--from', '2026-03-08', '--to', '2026-03-01'], /--from must be before --to/],
    [['fairness', '--sample=-1'], /--sample must be an integer ≥ 0/],
    [['prices'], /unknown audit "prices"/],
    [['fairness', '--id', '42'], /--id must be an audit id/],
  ])('refuses %j as a usage error', async (argv, message) => {
    const result = await run(argv, []);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.sent).toEqual([]);
  });
});
