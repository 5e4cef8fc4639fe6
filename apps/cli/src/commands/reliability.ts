import { join } from 'node:path';
import { UsageError } from '../cli-error';
import { listOption, numberOption, stringOption, type CliCommand } from '../command';
import { runReliability, PHASES, type PhaseName } from '../reliability/run';

const REPO = join(__dirname, '..', '..', '..', '..', '..');
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

export const reliabilityCommand: CliCommand = {
  name: 'reliability',
  summary: 'fuzz every route, cut the database, kill the API, retry sales, sustain load — nothing lost; `npm run test:reliability`',
  usage: `dynaprice reliability [--quick] [--database-url URL] [--databases postgres,pglite] [--only PHASES] [--seed N] [--keep]

  Starts the built API (npm run build first) as child processes on fresh databases (a new schema on
  PostgreSQL, a new PGlite folder) with the small demo retailer, and runs:
    fuzz       every route of /docs-json with every role: valid, boundary and invalid inputs (fast-check);
               no 5xx, every 4xx problem+json, database invariants, no partial batch (PostgreSQL, PGlite)
    outage     PostgreSQL cut for 10 s behind a TCP proxy during steady price and sales load (PostgreSQL)
    kill       the API killed with SIGKILL mid-load and restarted (PostgreSQL, PGlite)
    retry      a POS client that times out early and retries every sales batch (PostgreSQL, PGlite)
    sustained  60 s at 80 % of the measured maximum of POST /v1/prices: zero errors, flat RSS (PostgreSQL, PGlite)
  Afterwards every acknowledged sale and every returned decision must be in the database exactly once,
  counted against the load generator's own log. Prints one table; exits 1 when a check failed.
  --quick          the CI version: fewer inputs, shorter loads (a few minutes)
  --database-url   PostgreSQL server (default: DATABASE_URL, else ${LOCAL_POSTGRES})
  --databases      which databases (default: postgres,pglite)
  --only           phases to run (default: all): ${PHASES.join(', ')}
  --seed           fast-check seed (default: random, printed)
  --report FILE    also write the full results (per-route counts, counterexamples) as JSON
  --keep           keep the schemas, data folders and logs (kept anyway for a failed phase)
`,
  options: {
    quick: { type: 'boolean' },
    'database-url': { type: 'string' },
    databases: { type: 'string' },
    only: { type: 'string' },
    seed: { type: 'string' },
    report: { type: 'string' },
    keep: { type: 'boolean' },
  },
  async run({ values }, io) {
    const databases = listOption(values, 'databases');
    for (const database of databases) if (database !== 'postgres' && database !== 'pglite') throw new UsageError(`--databases takes postgres and/or pglite, got ${JSON.stringify(database)}`);
    const only = listOption(values, 'only');
    for (const phase of only) if (!PHASES.includes(phase as PhaseName)) throw new UsageError(`--only takes ${PHASES.join(', ')}, got ${JSON.stringify(phase)}`);
    const { passed, failed } = await runReliability(
      {
        quick: values['quick'] === true,
        databaseUrl: stringOption(values, 'database-url') ?? process.env['DATABASE_URL'] ?? LOCAL_POSTGRES,
        databases: databases.length > 0 ? (databases as Array<'postgres' | 'pglite'>) : ['postgres', 'pglite'],
        phases: only.length > 0 ? (only as PhaseName[]) : [...PHASES],
        seed: numberOption(values, 'seed', { integer: true, min: 0 }) ?? Math.floor(Math.random() * 2 ** 31),
        keep: values['keep'] === true,
        reportFile: stringOption(values, 'report') ?? null,
        workRoot: join(REPO, 'tmp', 'reliability'),
      },
      io,
    );
    if (failed > 0) throw new Error(`${failed} of ${passed + failed} reliability checks failed (see the table)`);
  },
};
