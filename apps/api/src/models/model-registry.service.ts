import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sha256Hex, type ModelArtifacts } from '@dynaprice/gbdt';
import { DomainError, MS_PER_DAY, uuidv7 } from '@dynaprice/kernel';
import { DEMAND_FEATURE_COUNT, type DemandTrainingSet } from '@dynaprice/pricing';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { ARTIFACT_STORE, type ArtifactStore } from './artifact-store';
import { TrainingRunner } from './training-runner';

export type ModelAlias = 'champion' | 'challenger';
export const MODEL_ALIASES: readonly ModelAlias[] = ['champion', 'challenger'];

export type ModelSource = 'trainer' | 'upload';

export interface ModelVersionSummary {
  id: string;
  sha256: string;
  sizeBytes: number;
  source: string;
  createdBy: string;
  createdAt: string;
  card: Record<string, unknown>;
  /** Where the bytes are: `database`, or the file:// / s3:// URI. */
  artifactLocation: string;
}

export interface AliasState {
  alias: ModelAlias;
  modelVersionId: string;
  updatedBy: string;
  reason: string;
  updatedAt: string;
}

export type AliasAction = 'promote' | 'rollback';

export interface AliasEvent {
  id: string;
  alias: ModelAlias;
  action: AliasAction;
  fromVersionId: string | null;
  toVersionId: string;
  actor: string;
  reason: string;
  at: string;
}

/** Version id from the artifact's hash: the same bytes are the same version. */
export function modelVersionId(sha256: string): string {
  return `m-${sha256.slice(0, 12)}`;
}

export const MODEL_VERSION_ID = /^m-[0-9a-f]{12}$/;

const SUMMARY_COLUMNS = `id, sha256, size_bytes, source, created_by, created_at, card, artifact_uri, artifact IS NOT NULL AS in_database`;

function toSummary(row: Record<string, unknown>): ModelVersionSummary {
  return {
    id: String(row['id']),
    sha256: String(row['sha256']).trim(),
    sizeBytes: Number(row['size_bytes']),
    source: String(row['source']),
    createdBy: String(row['created_by']),
    createdAt: new Date(row['created_at'] as string).toISOString(),
    card: row['card'] as Record<string, unknown>,
    artifactLocation: row['in_database'] ? 'database' : String(row['artifact_uri'] ?? 'unknown'),
  };
}

function toAliasEvent(row: Record<string, unknown>): AliasEvent {
  return {
    id: String(row['id']),
    alias: row['alias'] as ModelAlias,
    action: row['action'] as AliasAction,
    fromVersionId: (row['from_version_id'] as string | null) ?? null,
    toVersionId: String(row['to_version_id']),
    actor: String(row['actor']),
    reason: String(row['reason']),
    at: new Date(row['at'] as string).toISOString(),
  };
}

/** The version an alias returns to on rollback: promotions push, rollbacks pop (oldest event first). */
export function rollbackTarget(events: ReadonlyArray<Pick<AliasEvent, 'action' | 'toVersionId'>>): string | null {
  const stack: string[] = [];
  for (const event of events) {
    if (event.action === 'promote') stack.push(event.toVersionId);
    else {
      stack.pop();
      // A rollback lands on the version below; keep the stack consistent with where it landed.
      if (stack[stack.length - 1] !== event.toVersionId) stack.push(event.toVersionId);
    }
  }
  return stack.length >= 2 ? (stack[stack.length - 2] as string) : null;
}

/**
 * Immutable model versions (artifact + card) and the champion / challenger aliases with their history.
 * Training from the decision history lives here too, so the demo's first start, the CLI and retraining
 * share it.
 */
@Injectable()
export class ModelRegistry {
  private readonly logger = new Logger(ModelRegistry.name);
  private readonly aliasListeners = new Set<() => Promise<void>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(ARTIFACT_STORE) private readonly store: ArtifactStore,
    private readonly runner: TrainingRunner,
  ) {}

  /** Stores a version; the same bytes again return the version already stored. */
  async register(artifacts: ModelArtifacts | { onnx: Uint8Array; card: Record<string, unknown> }, source: ModelSource, createdBy: string): Promise<ModelVersionSummary> {
    return (await this.registerVersion(artifacts, source, createdBy)).version;
  }

  /** Like register, and says whether the version is new. Nothing is written when the bytes are known. */
  async registerVersion(
    artifacts: ModelArtifacts | { onnx: Uint8Array; card: Record<string, unknown> },
    source: ModelSource,
    createdBy: string,
  ): Promise<{ version: ModelVersionSummary; created: boolean }> {
    const sha256 = sha256Hex(artifacts.onnx);
    const id = modelVersionId(sha256);
    const [known] = (await this.dataSource.query(`SELECT id, artifact IS NULL AS external FROM model_versions WHERE sha256 = $1`, [sha256])) as Array<{
      id: string;
      external: boolean;
    }>;
    if (known) {
      // The same bytes again: the version stays as it is; an artifact lost from the store is written back.
      if (known.external) await this.store.put(sha256, artifacts.onnx);
      return { version: await this.get(known.id), created: false };
    }
    // The store first: a row never points to bytes that are not there (an orphan object is harmless).
    const uri = await this.store.put(sha256, artifacts.onnx);
    const inserted = (await this.dataSource.query(
      `INSERT INTO model_versions (id, sha256, size_bytes, artifact, artifact_uri, card, source, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (sha256) DO NOTHING RETURNING id`,
      [id, sha256, artifacts.onnx.byteLength, uri === null ? Buffer.from(artifacts.onnx) : null, uri, JSON.stringify({ ...artifacts.card, sha256 }), source, createdBy],
    )) as Array<{ id: string }>;
    return { version: await this.get(id), created: inserted.length > 0 };
  }

  async get(id: string): Promise<ModelVersionSummary> {
    const [row] = (await this.dataSource.query(`SELECT ${SUMMARY_COLUMNS} FROM model_versions WHERE id = $1`, [id])) as Array<Record<string, unknown>>;
    if (!row) throw DomainError.notFound('model version', id);
    return toSummary(row);
  }

  /** Newest first. */
  async list(limit: number, offset: number): Promise<{ items: ModelVersionSummary[]; total: number }> {
    const rows = (await this.dataSource.query(`SELECT ${SUMMARY_COLUMNS} FROM model_versions ORDER BY created_at DESC, id LIMIT $1 OFFSET $2`, [limit, offset])) as Array<
      Record<string, unknown>
    >;
    const [count] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM model_versions`)) as Array<{ total: number }>;
    return { items: rows.map(toSummary), total: Number(count?.total ?? 0) };
  }

  /** The ONNX bytes, from the row or the artifact store, checked against the version's sha256. */
  async artifact(id: string): Promise<Uint8Array> {
    const [row] = (await this.dataSource.query(`SELECT sha256, artifact, artifact_uri FROM model_versions WHERE id = $1`, [id])) as Array<{
      sha256: string;
      artifact: Uint8Array | null;
      artifact_uri: string | null;
    }>;
    if (!row) throw DomainError.notFound('model version', id);
    const sha256 = row.sha256.trim();
    if (row.artifact) {
      const bytes = new Uint8Array(row.artifact);
      if (sha256Hex(bytes) !== sha256) throw new DomainError('UNAVAILABLE', `the artifact of ${id} is corrupted in the database`);
      return bytes;
    }
    if (!row.artifact_uri) throw new DomainError('UNAVAILABLE', `the artifact of ${id} is not stored anywhere`);
    return this.store.get(sha256, row.artifact_uri);
  }

  async aliases(): Promise<Map<ModelAlias, string>> {
    const rows = (await this.dataSource.query(`SELECT alias, model_version_id FROM model_aliases`)) as Array<{ alias: ModelAlias; model_version_id: string }>;
    return new Map(rows.map((row) => [row.alias, row.model_version_id]));
  }

  async aliasStates(): Promise<AliasState[]> {
    const rows = (await this.dataSource.query(`SELECT alias, model_version_id, updated_by, reason, updated_at FROM model_aliases ORDER BY alias`)) as Array<Record<string, unknown>>;
    return rows.map((row) => ({
      alias: row['alias'] as ModelAlias,
      modelVersionId: String(row['model_version_id']),
      updatedBy: String(row['updated_by']),
      reason: String(row['reason']),
      updatedAt: new Date(row['updated_at'] as string).toISOString(),
    }));
  }

  /**
   * Points `alias` at a version and records who and why, in one transaction; resolves once this instance
   * serves the new version (other instances follow within their alias poll). Returns the recorded event,
   * or null when the alias already pointed there (nothing changes, nothing is recorded).
   */
  async setAlias(alias: ModelAlias, versionId: string, by: string, reason: string, action: AliasAction = 'promote'): Promise<AliasEvent | null> {
    await this.get(versionId);
    const event = await this.dataSource.transaction((manager) => this.moveAlias(manager, alias, () => Promise.resolve(versionId), by, reason, action));
    if (event) await this.notifyAliasListeners();
    return event;
  }

  /** Moves `alias` back to the version it served before its latest promotion (repeatable: each call goes one further back). */
  async rollback(alias: ModelAlias, by: string, reason: string): Promise<AliasEvent> {
    const event = await this.dataSource.transaction((manager) =>
      this.moveAlias(
        manager,
        alias,
        async () => {
          const events = (await manager.query(`SELECT action, to_version_id FROM model_alias_events WHERE alias = $1 ORDER BY at, id`, [alias])) as Array<{
            action: AliasAction;
            to_version_id: string;
          }>;
          const target = rollbackTarget(events.map((row) => ({ action: row.action, toVersionId: row.to_version_id })));
          if (!target) throw new DomainError('PRECONDITION_FAILED', `${alias} has no earlier version to roll back to`);
          return target;
        },
        by,
        reason,
        'rollback',
      ),
    );
    if (!event) throw new DomainError('PRECONDITION_FAILED', `${alias} already serves the version a rollback would return to`);
    await this.notifyAliasListeners();
    return event;
  }

  /** Alias moves, newest first. */
  async aliasHistory(alias: ModelAlias | null, limit: number): Promise<AliasEvent[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, alias, action, from_version_id, to_version_id, actor, reason, at FROM model_alias_events
       WHERE ($1::varchar IS NULL OR alias = $1) ORDER BY at DESC, id DESC LIMIT $2`,
      [alias, limit],
    )) as Array<Record<string, unknown>>;
    return rows.map(toAliasEvent);
  }

  private async moveAlias(
    manager: EntityManager,
    alias: ModelAlias,
    target: () => Promise<string>,
    by: string,
    reason: string,
    action: AliasAction,
  ): Promise<AliasEvent | null> {
    // One move of an alias at a time across instances: the history stays a sequence.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`dynaprice:model-alias:${alias}`]);
    const [current] = (await manager.query(`SELECT model_version_id FROM model_aliases WHERE alias = $1`, [alias])) as Array<{ model_version_id: string }>;
    const versionId = await target();
    const from = current?.model_version_id ?? null;
    if (from === versionId) return null;
    await manager.query(
      `INSERT INTO model_aliases (alias, model_version_id, updated_by, reason, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (alias) DO UPDATE SET model_version_id = EXCLUDED.model_version_id, updated_by = EXCLUDED.updated_by, reason = EXCLUDED.reason, updated_at = now()`,
      [alias, versionId, by, reason],
    );
    const id = uuidv7();
    const [row] = (await manager.query(
      // clock_timestamp(), not now(): taken after the lock, so `at` orders the moves of an alias.
      `INSERT INTO model_alias_events (id, alias, action, from_version_id, to_version_id, actor, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, clock_timestamp())
       RETURNING id, alias, action, from_version_id, to_version_id, actor, reason, at`,
      [id, alias, action, from, versionId, by, reason],
    )) as Array<Record<string, unknown>>;
    this.logger.log({ msg: 'model alias moved', alias, action, from, to: versionId, by });
    return toAliasEvent(row as Record<string, unknown>);
  }

  private async notifyAliasListeners(): Promise<void> {
    // Resolves once this instance serves the new version.
    await Promise.all([...this.aliasListeners].map((listener) => listener()));
  }

  onAliasesChanged(listener: () => Promise<void>): () => void {
    this.aliasListeners.add(listener);
    return () => this.aliasListeners.delete(listener);
  }

  /**
   * One observation per store × SKU × store day that is over: the feature row of the day's first
   * decision (at the price it set) and every unit sold under that day's decisions.
   */
  async trainingSet(window: { fromDay?: string; toDay?: string } = {}): Promise<DemandTrainingSet> {
    const today = new Date(this.clock.now()).toISOString().slice(0, 10);
    const toDay = window.toDay && window.toDay < today ? window.toDay : today;
    const fromDay = window.fromDay ?? new Date(Date.parse(toDay) - 365 * MS_PER_DAY).toISOString().slice(0, 10);
    const rows = (await this.dataSource.query(
      `WITH firsts AS (
         SELECT DISTINCT ON (store_id, sku_code, store_day) store_id, sku_code, store_day, features
         FROM price_decisions
         WHERE features IS NOT NULL AND store_day >= $1::date AND store_day < $2::date
         ORDER BY store_id, sku_code, store_day, decided_at
       ), sold AS (
         SELECT d.store_id, d.sku_code, d.store_day, SUM(s.quantity) AS units
         FROM sales s JOIN price_decisions d ON d.id = s.decision_id
         WHERE s.sold_at >= $1::date - 1 AND d.store_day >= $1::date AND d.store_day < $2::date
         GROUP BY d.store_id, d.sku_code, d.store_day
       )
       SELECT to_char(f.store_day, 'YYYY-MM-DD') AS day, f.features, COALESCE(sold.units, 0) AS units
       FROM firsts f LEFT JOIN sold ON sold.store_id = f.store_id AND sold.sku_code = f.sku_code AND sold.store_day = f.store_day
       ORDER BY f.store_day, f.store_id, f.sku_code`,
      [fromDay, toDay],
    )) as Array<{ day: string; features: Array<number | string>; units: string | number }>;
    const usable = rows.filter((row) => row.features.length === DEMAND_FEATURE_COUNT);
    const features = new Float32Array(usable.length * DEMAND_FEATURE_COUNT);
    const unitsSold = new Float64Array(usable.length);
    const day = new Float64Array(usable.length);
    usable.forEach((row, index) => {
      for (let column = 0; column < DEMAND_FEATURE_COUNT; column++) features[index * DEMAND_FEATURE_COUNT + column] = Number(row.features[column]);
      unitsSold[index] = Number(row.units);
      day[index] = Date.parse(row.day) / MS_PER_DAY;
    });
    return { features, unitsSold, day, rows: usable.length, from: usable[0]?.day ?? null, to: usable[usable.length - 1]?.day ?? null };
  }

  /** Trains on the decision history (off the event loop in built apps) and registers the result (not promoted). */
  async trainFromHistory(createdBy: string, history?: DemandTrainingSet): Promise<ModelVersionSummary> {
    const started = Date.now();
    const data = history ?? (await this.trainingSet());
    const artifacts = await this.runner.train({ data, createdBy, createdAt: new Date(this.clock.now()).toISOString() });
    const version = await this.register(artifacts, 'trainer', createdBy);
    this.logger.log({ msg: 'demand model trained', version: version.id, rows: data.rows, from: data.from, to: data.to, seconds: (Date.now() - started) / 1000 });
    return version;
  }

  /** First start of the demo: with history and no champion yet, train one and make it champion. */
  async ensureChampion(): Promise<void> {
    if ((await this.aliases()).has('champion')) return;
    const [row] = (await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM price_decisions WHERE features IS NOT NULL) AS present`)) as Array<{ present: boolean }>;
    if (!row?.present) return;
    const version = await this.trainFromHistory('seed');
    await this.setAlias('champion', version.id, 'seed', 'default model trained on the demo history at first start');
  }
}
