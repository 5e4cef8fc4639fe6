import fc from 'fast-check';
import type { DatabaseKind } from './api-instance';
import { PHASES, plan, type PhaseName } from './run';

const BOTH: DatabaseKind[] = ['postgres', 'pglite'];
const steps = (list: ReturnType<typeof plan>): string[] => list.map((step) => `${step.phase}@${step.database}`);

describe(plan.name, () => {
  it('runs every phase on both databases in the full run, except the outage, which needs a server to cut', () => {
    expect(steps(plan({ quick: false, databases: BOTH, phases: [...PHASES] }))).toEqual([
      'fuzz@postgres',
      'fuzz@pglite',
      'outage@postgres',
      'kill@postgres',
      'kill@pglite',
      'retry@postgres',
      'retry@pglite',
      'sustained@postgres',
      'sustained@pglite',
    ]);
  });

  it('keeps PGlite to fuzzing and the kill in the quick run, and PostgreSQL to everything', () => {
    expect(steps(plan({ quick: true, databases: BOTH, phases: [...PHASES] }))).toEqual(['fuzz@postgres', 'fuzz@pglite', 'outage@postgres', 'kill@postgres', 'kill@pglite', 'retry@postgres', 'sustained@postgres']);
  });

  it('runs no outage on PGlite alone', () => {
    expect(plan({ quick: false, databases: ['pglite'], phases: ['outage'] })).toEqual([]);
    expect(steps(plan({ quick: false, databases: ['pglite'], phases: [...PHASES] }))).toEqual(['fuzz@pglite', 'kill@pglite', 'retry@pglite', 'sustained@pglite']);
  });

  it('follows the order of the phases asked for, not the canonical order', () => {
    expect(steps(plan({ quick: false, databases: ['postgres'], phases: ['sustained', 'fuzz'] }))).toEqual(['sustained@postgres', 'fuzz@postgres']);
  });

  it('plans nothing without phases or databases', () => {
    expect(plan({ quick: false, databases: [], phases: [...PHASES] })).toEqual([]);
    expect(plan({ quick: true, databases: BOTH, phases: [] })).toEqual([]);
  });

  it('plans only asked-for pairs, each once; quick is a subset of full that drops only PGlite retry and sustained (property)', () => {
    const phasesArb = fc.uniqueArray(fc.constantFrom(...PHASES), { maxLength: PHASES.length });
    const databasesArb = fc.uniqueArray(fc.constantFrom<DatabaseKind>('postgres', 'pglite'), { maxLength: 2 });
    fc.assert(
      fc.property(phasesArb, databasesArb, (phases: PhaseName[], databases: DatabaseKind[]) => {
        const full = steps(plan({ quick: false, databases, phases }));
        const quick = steps(plan({ quick: true, databases, phases }));
        expect(new Set(full).size).toBe(full.length);
        const wanted = phases.flatMap((phase) => databases.map((database) => `${phase}@${database}`));
        expect(full).toEqual(wanted.filter((step) => step !== 'outage@pglite'));
        expect(quick).toEqual(full.filter((step) => step !== 'retry@pglite' && step !== 'sustained@pglite'));
      }),
    );
  });
});
