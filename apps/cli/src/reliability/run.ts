import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CliIo } from '../command';
import type { DatabaseKind } from './api-instance';
import { killPhase, outagePhase, retryPhase } from './fault-phases';
import { fuzzPhase } from './fuzz-phase';
import type { PhaseResult } from './phase';
import { formatReport } from './report';
import { sustainedPhase } from './sustained-phase';

export const PHASES = ['fuzz', 'outage', 'kill', 'retry', 'sustained'] as const;
export type PhaseName = (typeof PHASES)[number];

export interface ReliabilityOptions {
  quick: boolean;
  databaseUrl: string;
  databases: DatabaseKind[];
  phases: PhaseName[];
  seed: number;
  keep: boolean;
  reportFile: string | null;
  workRoot: string;
}

/** Which phases run on which database (the outage needs a server to cut; the quick run keeps PGlite to fuzzing and the kill). */
export function plan(options: Pick<ReliabilityOptions, 'quick' | 'databases' | 'phases'>): Array<{ phase: PhaseName; database: DatabaseKind }> {
  const steps: Array<{ phase: PhaseName; database: DatabaseKind }> = [];
  for (const phase of options.phases) {
    for (const database of options.databases) {
      if (phase === 'outage' && database !== 'postgres') continue;
      if (options.quick && database === 'pglite' && (phase === 'retry' || phase === 'sustained')) continue;
      steps.push({ phase, database });
    }
  }
  return steps;
}

/** Runs the planned phases one after the other, prints the table; every phase is one check. */
export async function runReliability(options: ReliabilityOptions, io: CliIo): Promise<{ passed: number; failed: number; results: PhaseResult[] }> {
  mkdirSync(options.workRoot, { recursive: true });
  const log = (line: string): void => void io.stderr.write(`${line}\n`);
  const started = Date.now();
  log(`reliability${options.quick ? ' --quick' : ''}: seed ${options.seed}, PostgreSQL ${options.databaseUrl.replace(/\/\/[^@]*@/, '//…@')}`);
  const results: PhaseResult[] = [];
  for (const { phase, database } of plan(options)) {
    log(`== ${phase} on ${database}`);
    const common = { kind: database, workRoot: options.workRoot, databaseUrl: database === 'postgres' ? options.databaseUrl : undefined, quick: options.quick, keep: options.keep, log };
    let result: PhaseResult;
    switch (phase) {
      case 'fuzz':
        result = await fuzzPhase({ ...common, inputsPerRoute: options.quick ? (database === 'postgres' ? 40 : 15) : 250, seed: options.seed, concurrency: 4 });
        break;
      case 'outage':
        result = await outagePhase(common);
        break;
      case 'kill':
        result = await killPhase(common);
        break;
      case 'retry':
        result = await retryPhase(common);
        break;
      case 'sustained':
        result = await sustainedPhase(common);
        break;
    }
    log(`   ${result.failures.length === 0 ? 'pass' : `FAIL (${result.failures.length})`} in ${Math.round(result.seconds)} s`);
    results.push(result);
  }
  const passed = results.filter((result) => result.failures.length === 0).length;
  const failed = results.length - passed;
  io.stdout.write(`\n${formatReport(results)}\n`);
  io.stdout.write(`reliability: ${passed} passed, ${failed} failed (${Math.round((Date.now() - started) / 1000)} s, seed ${options.seed})\n`);
  if (options.reportFile) {
    mkdirSync(dirname(options.reportFile), { recursive: true });
    writeFileSync(options.reportFile, JSON.stringify({ seed: options.seed, quick: options.quick, results }, null, 2));
  }
  return { passed, failed, results };
}
