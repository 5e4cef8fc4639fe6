import { UsageError } from '../cli-error';
import { numberOption, stringOption, type CliCommand, type CliIo, type OptionValues } from '../command';
import { formatTable } from '../table';
import { apiTarget, callApi } from './models-api';

/** One row of an audit's table, as the API returns it (GET / POST /v1/fairness/audits). */
interface AuditTableRow {
  source: string;
  attribute: string;
  status: string;
  observations: number;
  segments: string[];
  rawGap: number | null;
  stratifiedGap: number | null;
  stratifiedGapCi: { low: number; high: number } | null;
  ratio: number | null;
  maxKs: number | null;
  moved: number | null;
  note: string;
}

interface FairnessAudit {
  id: string;
  trigger: string;
  status: 'pass' | 'fail' | 'insufficient-data';
  from: string;
  to: string;
  reasons: Array<{ code: string; message: string }>;
  table: AuditTableRow[];
}

const USAGE = `dynaprice audit fairness [--from WHEN] [--to WHEN] [--sample N] [--api URL] [--key KEY] [--json]
dynaprice audit fairness --id AUDIT_ID [--api URL] [--key KEY] [--json]

  Runs a fairness audit on the API (POST /v1/fairness/audits) and prints its table: offered and paid
  price index per segment attribute (stratified mean per segment, relative gap with its 95 % interval,
  min/max ratio, raw gap, largest KS statistic) and the counterfactual check. With --id, prints a stored
  audit instead. Exit code 0 when the audit passes; 1 when it fails or has insufficient data (an empty
  window never passes); 2 on a usage error.

  --from WHEN   window start, ISO date or date-time (default: 7 days before --to)
  --to WHEN     window end, exclusive (default: now)
  --sample N    decisions re-priced by the counterfactual check (default 100; 0 skips it)
  --api URL     API base URL (default $DYNAPRICE_API_URL, else http://localhost:3000)
  --key KEY     API key sent as X-API-Key (default $DYNAPRICE_API_KEY); needs fairness:run (fairness:read with --id)
  --json        print the API's JSON answer instead of the table
`;

/** An ISO date (midnight UTC) or date-time, as the API's ISO date-time. */
function instantOption(values: OptionValues, name: string): string | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const text = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00.000Z` : raw;
  const time = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(time)) throw new UsageError(`--${name} must be an ISO date or date-time such as 2026-03-01 or 2026-03-01T06:00:00Z, got ${JSON.stringify(raw)}`);
  return new Date(time).toISOString();
}

const pct = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(2)} %`);

/** The audit as text: a header line, the table, and the reasons. */
export function formatAudit(audit: FairnessAudit): string {
  const rows = audit.table.map((row) => [
    row.source,
    row.attribute,
    row.status,
    String(row.observations),
    row.segments.join(', ') || '—',
    pct(row.stratifiedGap),
    row.stratifiedGapCi ? `${pct(row.stratifiedGapCi.low)} … ${pct(row.stratifiedGapCi.high)}` : '—',
    row.ratio === null ? '—' : row.ratio.toFixed(4),
    pct(row.rawGap),
    row.maxKs === null ? '—' : row.maxKs.toFixed(3),
    row.moved === null ? '—' : String(row.moved),
  ]);
  const header = `Fairness audit ${audit.id} (${audit.trigger}), ${audit.from} … ${audit.to}: ${audit.status.toUpperCase()}\n\n`;
  const table = formatTable(['prices', 'attribute', 'status', 'n', 'segments (stratified mean index)', 'gap', '95 % CI', 'min/max', 'raw gap', 'max KS', 'moved'], rows);
  const reasons = audit.reasons.length > 0 ? `\n${audit.reasons.map((reason) => `- ${reason.message}`).join('\n')}\n` : '';
  return header + table + reasons;
}

export function createAuditCommand(env: Readonly<Record<string, string | undefined>> = process.env, fetchImpl: typeof fetch = fetch): CliCommand {
  return {
    name: 'audit',
    summary: 'fairness audits over HTTP: `dynaprice audit fairness [--from --to]` prints the table, exits 1 unless it passes',
    usage: USAGE,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      sample: { type: 'string' },
      id: { type: 'string' },
      api: { type: 'string' },
      key: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
    async run({ values, positionals }, io: CliIo) {
      if (positionals.length !== 1 || positionals[0] !== 'fairness') {
        throw new UsageError(`audit: unknown audit ${JSON.stringify(positionals.join(' '))} (available: fairness)`);
      }
      const target = apiTarget(values, env);
      const id = stringOption(values, 'id');
      let audit: FairnessAudit;
      if (id !== undefined) {
        if (['from', 'to', 'sample'].some((name) => values[name] !== undefined)) throw new UsageError('audit fairness: --id prints a stored audit; it takes no --from, --to or --sample');
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new UsageError(`--id must be an audit id (a UUID), got ${JSON.stringify(id)}`);
        audit = await callApi<FairnessAudit>(target, 'GET', `/v1/fairness/audits/${id}`, undefined, fetchImpl);
      } else {
        const from = instantOption(values, 'from');
        const to = instantOption(values, 'to');
        if (from !== undefined && to !== undefined && Date.parse(from) >= Date.parse(to)) throw new UsageError('--from must be before --to');
        const sample = numberOption(values, 'sample', { integer: true, min: 0, max: 2000 });
        const body = { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(sample !== undefined ? { counterfactualSample: sample } : {}) };
        audit = await callApi<FairnessAudit>(target, 'POST', '/v1/fairness/audits', body, fetchImpl);
      }
      io.stdout.write(values['json'] === true ? `${JSON.stringify(audit, null, 2)}\n` : formatAudit(audit));
      if (audit.status === 'fail') throw new Error(`fairness audit ${audit.id} failed: ${audit.reasons[0]?.message ?? 'see the table'}`);
      if (audit.status !== 'pass') throw new Error(`fairness audit ${audit.id} could not judge (insufficient data): ${audit.reasons[0]?.message ?? 'see the table'}`);
    },
  };
}

export const auditCommand: CliCommand = createAuditCommand();
