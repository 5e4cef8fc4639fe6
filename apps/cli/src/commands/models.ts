import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UsageError } from '../cli-error';
import { stringOption, type CliCommand, type CliIo, type OptionValues } from '../command';
import { CARD_FILE, MODEL_FILE } from '../model-files';
import { formatNumber, formatTable } from '../table';
import { apiTarget, callApi, type ApiTarget } from './models-api';

const ALIASES = ['champion', 'challenger'] as const;
type Alias = (typeof ALIASES)[number];
const VERSION_ID = /^m-[0-9a-f]{12}$/;

interface ModelVersion {
  id: string;
  sha256: string;
  sizeBytes: number;
  source: string;
  createdBy: string;
  createdAt: string;
  name: string;
  features: Array<{ name: string; type: string | null }>;
  aliases: string[];
  trainingData: Record<string, unknown> | null;
  validation: Record<string, unknown> | null;
  artifactLocation: string;
  created?: boolean;
  cardEmbedded?: boolean;
}

interface AliasState {
  alias: string;
  modelVersionId: string;
  updatedBy: string;
  reason: string;
  updatedAt: string;
}

interface AliasChange {
  alias: AliasState;
  event: { action: string; fromVersionId: string | null; toVersionId: string; actor: string; reason: string } | null;
}

const USAGE = `dynaprice models <command> [options]   (talks to the Dynaprice API over HTTP)

  list                                 every model version, newest first, with its aliases
  show ID|champion|challenger [--full] one version (--full: its whole model card, as JSON)
  upload FILE.onnx|DIR [--card FILE]   register a model: DIR holds model.onnx (and model-card.json);
                                       the card is --card, DIR/model-card.json, or embedded in the ONNX
  promote ID --reason TEXT [--alias champion|challenger]
                                       point an alias (default champion) at a version
  rollback --reason TEXT [--alias champion|challenger]
                                       return an alias to the version it served before

  --api URL     API base URL (default $DYNAPRICE_API_URL, else http://localhost:3000)
  --key KEY     API key (default $DYNAPRICE_API_KEY); needs models:read, :write or :promote
  --json        print the API's JSON answer
`;

function requireArgument(positionals: string[], index: number, what: string): string {
  const value = positionals[index];
  if (value === undefined || value.trim() === '') throw new UsageError(`models ${positionals[0]}: ${what} is required`);
  return value;
}

function aliasOption(values: OptionValues): Alias {
  const raw = stringOption(values, 'alias') ?? 'champion';
  if (!(ALIASES as readonly string[]).includes(raw)) throw new UsageError(`--alias must be champion or challenger, got ${JSON.stringify(raw)}`);
  return raw as Alias;
}

function reasonOption(values: OptionValues, sub: string): string {
  const reason = stringOption(values, 'reason');
  if (reason === undefined) throw new UsageError(`models ${sub}: --reason is required (it is recorded with the change)`);
  return reason;
}

function metric(validation: Record<string, unknown> | null, name: string): string {
  const value = validation?.[name];
  return typeof value === 'number' ? formatNumber(value) : '';
}

function versionRows(version: ModelVersion): string[][] {
  const training = version.trainingData ?? {};
  return [
    ['id', version.id],
    ['name', version.name],
    ['aliases', version.aliases.join(', ') || '—'],
    ['source', version.source],
    ['created', `${version.createdAt} by ${version.createdBy}`],
    ['sha256', version.sha256],
    ['size', `${version.sizeBytes} bytes`],
    ['artifact', version.artifactLocation],
    ['features', version.features.map((f) => f.name).join(', ')],
    ['training data', `${String(training['from'] ?? '?')} … ${String(training['to'] ?? '?')}, ${String(training['rows'] ?? '?')} rows`],
    ['validation RMSE', metric(version.validation, 'rmse') || '—'],
    ['validation MAE', metric(version.validation, 'mae') || '—'],
  ];
}

async function resolveVersion(target: ApiTarget, ref: string, fetchImpl: typeof fetch): Promise<string> {
  if (VERSION_ID.test(ref)) return ref;
  if (!(ALIASES as readonly string[]).includes(ref)) throw new UsageError(`models: ${JSON.stringify(ref)} is neither a version id (m-…) nor champion / challenger`);
  const aliases = await callApi<AliasState[]>(target, 'GET', '/v1/models/aliases', undefined, fetchImpl);
  const found = aliases.find((alias) => alias.alias === ref);
  if (!found) throw new Error(`no model is ${ref} yet`);
  return found.modelVersionId;
}

/** The ONNX file and the card file to send (the card may be embedded instead). */
async function uploadFiles(path: string, cardPath: string | undefined): Promise<{ onnx: Buffer; onnxName: string; card: Buffer | null }> {
  if (!existsSync(path)) throw new UsageError(`models upload: ${path} does not exist`);
  const directory = statSync(path).isDirectory();
  const onnxPath = directory ? join(path, MODEL_FILE) : path;
  if (!existsSync(onnxPath)) throw new UsageError(`models upload: ${path} has no ${MODEL_FILE}`);
  const besideCard = directory ? join(path, CARD_FILE) : null;
  const card = cardPath ?? (besideCard && existsSync(besideCard) ? besideCard : undefined);
  if (card !== undefined && !existsSync(card)) throw new UsageError(`--card ${card} does not exist`);
  return { onnx: await readFile(onnxPath), onnxName: basename(onnxPath), card: card === undefined ? null : await readFile(card) };
}

function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function printChange(io: CliIo, change: AliasChange): void {
  const event = change.event;
  io.stdout.write(
    event
      ? `${change.alias.alias}: ${event.fromVersionId ?? 'none'} → ${event.toVersionId} (${event.action} by ${event.actor}: ${event.reason})\n`
      : `${change.alias.alias}: already ${change.alias.modelVersionId}, nothing changed\n`,
  );
}

/** `dynaprice models …`; `env` and `fetchImpl` are parameters for the tests. */
export function createModelsCommand(env: Readonly<Record<string, string | undefined>> = process.env, fetchImpl: typeof fetch = fetch): CliCommand {
  return {
    name: 'models',
    summary: 'list, show, upload, promote and roll back model versions through the API',
    usage: USAGE,
    allowPositionals: true,
    options: {
      api: { type: 'string' },
      key: { type: 'string' },
      card: { type: 'string' },
      alias: { type: 'string' },
      reason: { type: 'string' },
      json: { type: 'boolean' },
      full: { type: 'boolean' },
    },
    async run({ values, positionals }, io) {
      const [sub] = positionals;
      if (sub === undefined) throw new UsageError('models: say what to do: list, show, upload, promote or rollback (dynaprice models --help)');
      const target = apiTarget(values, env);
      const json = values['json'] === true;
      const extra = (count: number): void => {
        if (positionals.length > count) throw new UsageError(`models ${sub}: unexpected argument ${JSON.stringify(positionals[count])}`);
      };
      switch (sub) {
        case 'list': {
          extra(1);
          const page = await callApi<{ items: ModelVersion[]; total: number }>(target, 'GET', '/v1/models?limit=1000', undefined, fetchImpl);
          if (json) return printJson(io, page);
          io.stdout.write(
            formatTable(
              ['version', 'aliases', 'name', 'source', 'created', 'by', 'RMSE'],
              page.items.map((v) => [v.id, v.aliases.join(',') || '—', v.name, v.source, v.createdAt.slice(0, 16).replace('T', ' '), v.createdBy, metric(v.validation, 'rmse') || '—']),
            ),
          );
          return;
        }
        case 'show': {
          extra(2);
          const id = await resolveVersion(target, requireArgument(positionals, 1, 'a version id or alias'), fetchImpl);
          if (values['full'] === true) return printJson(io, await callApi(target, 'GET', `/v1/models/${id}/card`, undefined, fetchImpl));
          const version = await callApi<ModelVersion>(target, 'GET', `/v1/models/${id}`, undefined, fetchImpl);
          if (json) return printJson(io, version);
          io.stdout.write(formatTable(['model', 'value'], versionRows(version)));
          return;
        }
        case 'upload': {
          extra(2);
          const files = await uploadFiles(requireArgument(positionals, 1, 'the ONNX file (or a directory with model.onnx)'), stringOption(values, 'card'));
          const form = new FormData();
          if (files.card) form.append('card', new Blob([files.card], { type: 'application/json' }), 'model-card.json');
          form.append('model', new Blob([files.onnx], { type: 'application/octet-stream' }), files.onnxName);
          const version = await callApi<ModelVersion>(target, 'POST', '/v1/models', form, fetchImpl);
          if (json) return printJson(io, version);
          io.stdout.write(`${version.created ? 'uploaded' : 'already registered'}: ${version.id} (${version.name}, sha256 ${version.sha256.slice(0, 16)}…)\n`);
          return;
        }
        case 'promote': {
          extra(2);
          const id = await resolveVersion(target, requireArgument(positionals, 1, 'the version id'), fetchImpl);
          const change = await callApi<AliasChange>(target, 'POST', `/v1/models/${id}/promote`, { alias: aliasOption(values), reason: reasonOption(values, sub) }, fetchImpl);
          if (json) return printJson(io, change);
          return printChange(io, change);
        }
        case 'rollback': {
          extra(1);
          const alias = aliasOption(values);
          const change = await callApi<AliasChange>(target, 'POST', `/v1/models/aliases/${alias}/rollback`, { reason: reasonOption(values, sub) }, fetchImpl);
          if (json) return printJson(io, change);
          return printChange(io, change);
        }
        default:
          throw new UsageError(`models: unknown command ${JSON.stringify(sub)} (list, show, upload, promote, rollback)`);
      }
    },
  };
}

export const modelsCommand: CliCommand = createModelsCommand();
