import { formatTable } from '../table';
import type { PhaseResult } from './phase';

/** `min-max x routes` of the inputs each route got, or '' for phases that do not fuzz. */
export function inputsPerRoute(result: PhaseResult): string {
  const routes = result.routes ?? [];
  if (routes.length === 0) return '';
  const counts = routes.map((route) => route.inputs);
  return `${Math.min(...counts)}-${Math.max(...counts)} x ${routes.length}`;
}

function sum(result: PhaseResult, field: 'expected' | 'stored' | 'duplicated'): string {
  if (result.records.length === 0) return '';
  return String(result.records.reduce((total, record) => total + record[field], 0));
}

/**
 * The one table: a row per phase and database. "no answer" is a request without a response (the API
 * killed, the client's own timeout in the retry phase), which loses nothing as long as the records
 * reconcile; "bad answers" broke the contract (a 4xx that is not problem+json, an error under steady load).
 */
export function formatReport(results: readonly PhaseResult[]): string {
  const rows = results.map((result) => [
    result.phase,
    result.database,
    String(result.tally.requests),
    String(result.tally.noAnswer),
    String(result.tally.contractErrors),
    String(result.tally.serverErrors),
    String(result.tally.retryLater),
    inputsPerRoute(result),
    String(result.faults),
    sum(result, 'expected'),
    sum(result, 'stored'),
    sum(result, 'duplicated'),
    `${Math.round(result.seconds)} s`,
    result.failures.length === 0 ? 'pass' : 'FAIL',
  ]);
  const table = formatTable(
    ['phase', 'database', 'requests', 'no answer', 'bad answers', '5xx', '503 retry-later', 'inputs/route', 'faults', 'records expected', 'stored', 'duplicated', 'time', 'result'],
    rows,
  );
  const lines: string[] = [];
  for (const result of results) {
    const records = result.records.map((record) => `${record.record} ${record.expected}/${record.stored}/${record.duplicated}`).join(', ');
    if (records) lines.push(`${result.phase} ${result.database}: expected/stored/duplicated: ${records}`);
    for (const note of result.notes) lines.push(`${result.phase} ${result.database}: ${note}`);
    for (const failure of result.failures.slice(0, 20)) lines.push(`${result.phase} ${result.database}: FAIL ${failure}`);
    if (result.failures.length > 20) lines.push(`${result.phase} ${result.database}: … and ${result.failures.length - 20} more failures`);
  }
  return `${table}\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}`;
}
