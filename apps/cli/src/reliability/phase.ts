import type { ApiInstance, DatabaseKind } from './api-instance';
import { sleep } from './api-instance';
import { HttpClient, isFailure } from './http';
import { checkInvariants, type InvariantResult } from './invariants';
import type { Ledger, Reconciliation } from './ledger';
import { Tally } from './tally';

/** Requests to one route during fuzzing. */
export interface RouteStats {
  route: string;
  inputs: number;
  byKind: Record<string, number>;
  statuses: Record<string, number>;
  /** Shrunk counterexamples (fast-check), one line each. */
  failures: string[];
}

/** What one phase did and found; it passed when `failures` is empty. */
export interface PhaseResult {
  phase: string;
  database: DatabaseKind;
  tally: Tally;
  routes?: RouteStats[];
  faults: number;
  records: Reconciliation[];
  invariants: InvariantResult[];
  failures: string[];
  notes: string[];
  seconds: number;
}

export function emptyResult(phase: string, database: DatabaseKind): PhaseResult {
  return { phase, database, tally: new Tally(), faults: 0, records: [], invariants: [], failures: [], notes: [], seconds: 0 };
}

/** The decision journal's backlog, from /metrics (null when the API does not answer). */
export async function journalBacklog(instance: ApiInstance): Promise<number | null> {
  const client = new HttpClient(instance.url, 1);
  try {
    const response = await client.send({ method: 'GET', url: '/metrics', headers: { 'x-api-key': instance.key('admin') }, timeoutMs: 5_000 });
    if (isFailure(response) || response.status !== 200) return null;
    const match = /^dynaprice_decision_journal_backlog (\d+(?:\.\d+)?)$/m.exec(response.text);
    return match ? Number(match[1]) : null;
  } finally {
    client.close();
  }
}

/** Waits until the journal has written everything to the database. */
export async function waitForJournal(instance: ApiInstance, timeoutMs = 60_000): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const backlog = await journalBacklog(instance);
    if (backlog === 0 || Date.now() > deadline) return backlog;
    await sleep(250);
  }
}

/**
 * The end of every phase: journal flushed, API stopped gracefully, no journal segment left on disk,
 * the database's invariants, and the ledger counted against the database.
 */
export async function verify(instance: ApiInstance, ledger: Ledger | null, result: PhaseResult): Promise<void> {
  const backlog = await waitForJournal(instance);
  if (backlog !== 0) result.failures.push(`decision journal backlog ${backlog ?? 'unknown'} after 60 s`);
  await instance.stop();
  const left = instance.spoolSegments();
  if (left.length > 0) result.failures.push(`${left.length} journal segment(s) left on disk after a graceful stop: ${left.slice(0, 3).join(', ')}`);
  const db = await instance.sql();
  try {
    result.invariants = await checkInvariants(db);
    for (const invariant of result.invariants) if (invariant.offenders > 0) result.failures.push(`invariant broken: ${invariant.name} (${invariant.offenders} rows)`);
    if (ledger) {
      result.records = await ledger.reconcile(db);
      for (const record of result.records) {
        if (record.stored !== record.expected) result.failures.push(`${record.record}: ${record.expected - record.stored} acknowledged but not stored, e.g. ${(record.missing ?? []).join(', ')}`);
        if (record.duplicated > 0) result.failures.push(`${record.record}: ${record.duplicated} stored more than once`);
        if (record.refusedButStored > 0) result.failures.push(`${record.record}: ${record.refusedButStored} from refused batches stored (partial batch)`);
        if (record.unresolved > 0) result.notes.push(`${record.record}: ${record.unresolved} sent but never acknowledged (stored at most once)`);
      }
      for (const contradiction of ledger.contradictions.slice(0, 5)) result.failures.push(contradiction);
    }
  } finally {
    await db.close();
  }
  const errors = instance.errorLogLines();
  if (errors.length > 0) result.notes.push(`${errors.length} error line(s) in ${instance.logFile}, first: ${errors[0]?.slice(0, 400)}`);
}

/** Failures every load phase shares: 5xx, broken contract, 503s where no outage was injected. */
export function loadFailures(result: PhaseResult, outageInjected: boolean): void {
  const { tally } = result;
  if (tally.serverErrors > 0) result.failures.push(`${tally.serverErrors} answers 5xx: ${tally.examples.find((line) => / → 5\d\d /.test(line)) ?? ''}`);
  if (tally.contractErrors > 0) result.failures.push(`${tally.contractErrors} answers broke the contract: ${tally.examples[0] ?? ''}`);
  if (!outageInjected && tally.retryLater > 0) result.failures.push(`${tally.retryLater} answers 503 without a database outage`);
}
