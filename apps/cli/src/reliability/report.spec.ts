import type { PhaseResult, RouteStats } from './phase';
import { formatReport, inputsPerRoute } from './report';
import { Tally } from './tally';

function result(overrides: Partial<PhaseResult> = {}): PhaseResult {
  return { phase: 'kill', database: 'postgres', tally: new Tally(), faults: 0, records: [], invariants: [], failures: [], notes: [], seconds: 0, ...overrides };
}

const route = (name: string, inputs: number): RouteStats => ({ route: name, inputs, byKind: {}, statuses: {}, failures: [] });

/** The table's cells by column name, cut at the positions of the rule under the header. */
function tableRows(report: string): Array<Record<string, string>> {
  const lines = report.split('\n');
  const header = lines[0] ?? '';
  const rule = lines[1] ?? '';
  const columns: Array<{ start: number; end: number }> = [];
  for (const match of rule.matchAll(/-+/g)) columns.push({ start: match.index, end: match.index + match[0].length });
  const cell = (line: string, c: number): string => line.slice(columns[c]?.start, columns[c]?.end).trim();
  const names = columns.map((_, c) => cell(header, c));
  const rows: Array<Record<string, string>> = [];
  for (const line of lines.slice(2)) {
    if (line === '') break;
    rows.push(Object.fromEntries(names.map((name, c) => [name, cell(line, c)])));
  }
  return rows;
}

describe(inputsPerRoute.name, () => {
  it('is empty for a phase that does not fuzz', () => {
    expect(inputsPerRoute(result())).toBe('');
    expect(inputsPerRoute(result({ routes: [] }))).toBe('');
  });

  it('gives the fewest and the most inputs a route got, and the number of routes', () => {
    expect(inputsPerRoute(result({ routes: [route('GET /a', 40), route('POST /b', 15), route('PUT /c', 250)] }))).toBe('15-250 x 3');
    expect(inputsPerRoute(result({ routes: [route('GET /a', 7)] }))).toBe('7-7 x 1');
  });
});

describe(formatReport.name, () => {
  it('prints one row per phase and database, in order, with the counts of the tally', () => {
    const tally = new Tally();
    tally.requests = 1234;
    tally.noAnswer = 3;
    tally.contractErrors = 2;
    tally.serverErrors = 1;
    tally.retryLater = 17;
    const report = formatReport([
      result({ phase: 'fuzz', database: 'pglite', tally, routes: [route('GET /a', 15), route('GET /b', 20)], seconds: 12.4 }),
      result({ phase: 'outage', database: 'postgres', faults: 2, seconds: 61.6, failures: ['journal backlog 3 after 60 s'] }),
    ]);
    const rows = tableRows(report);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      phase: 'fuzz',
      database: 'pglite',
      requests: '1234',
      'no answer': '3',
      'bad answers': '2',
      '5xx': '1',
      '503 retry-later': '17',
      'inputs/route': '15-20 x 2',
      faults: '0',
      'records expected': '',
      stored: '',
      duplicated: '',
      time: '12 s',
      result: 'pass',
    });
    expect(rows[1]).toMatchObject({ phase: 'outage', database: 'postgres', requests: '0', 'inputs/route': '', faults: '2', time: '62 s', result: 'FAIL' });
  });

  it('sums expected, stored and duplicated over the record kinds, and lists each kind below the table', () => {
    const report = formatReport([
      result({
        records: [
          { record: 'sales', expected: 100, stored: 99, duplicated: 1, refusedButStored: 0, unresolved: 0 },
          { record: 'decisions', expected: 50, stored: 50, duplicated: 2, refusedButStored: 0, unresolved: 0 },
        ],
      }),
    ]);
    expect(tableRows(report)[0]).toMatchObject({ 'records expected': '150', stored: '149', duplicated: '3' });
    expect(report).toContain('\nkill postgres: expected/stored/duplicated: sales 100/99/1, decisions 50/50/2\n');
  });

  it('lists notes and failures under the table, with the phase and database', () => {
    const report = formatReport([result({ phase: 'retry', database: 'pglite', notes: ['3 sent but never acknowledged'], failures: ['sales: 2 stored more than once'] })]);
    const below = report.split('\n').slice(3);
    expect(below).toEqual(['', 'retry pglite: 3 sent but never acknowledged', 'retry pglite: FAIL sales: 2 stored more than once', '']);
  });

  it('prints the first 20 failures of a phase and counts the rest', () => {
    const failures = Array.from({ length: 23 }, (_, i) => `failure ${i}`);
    const report = formatReport([result({ failures })]);
    const failLines = report.split('\n').filter((line) => line.startsWith('kill postgres: FAIL '));
    expect(failLines).toHaveLength(20);
    expect(failLines[19]).toBe('kill postgres: FAIL failure 19');
    expect(report).toContain('kill postgres: … and 3 more failures\n');
    expect(report).not.toContain('failure 20');
  });

  it('is the table alone when there is nothing to list', () => {
    const report = formatReport([result({ seconds: 3 })]);
    expect(report.split('\n')).toEqual([expect.stringMatching(/^phase /), expect.stringMatching(/^-+ /), expect.stringMatching(/^kill /), '', '']);
    expect(report.endsWith('pass\n\n')).toBe(true);
    expect(tableRows(report)[0]).toMatchObject({ result: 'pass', 'no answer': '0', 'bad answers': '0', time: '3 s' });
  });

  it('prints the header alone for no results', () => {
    const report = formatReport([]);
    expect(tableRows(report)).toEqual([]);
    expect(report.split('\n')[0]).toMatch(/^phase\s+database\s+requests\s+no answer\s+bad answers\s+5xx\s+503 retry-later\s+inputs\/route\s+faults\s+records expected\s+stored\s+duplicated\s+time\s+result$/);
  });
});
