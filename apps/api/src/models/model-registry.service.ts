import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sha256Hex, type ModelArtifacts } from '@dynaprice/gbdt';
import { DomainError, MS_PER_DAY } from '@dynaprice/kernel';
import { DEMAND_FEATURE_COUNT, trainDemandModel, type DemandTrainingSet } from '@dynaprice/pricing';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';

export type ModelAlias = 'champion' | 'challenger';
export const MODEL_ALIASES: readonly ModelAlias[] = ['champion', 'challenger'];

export interface ModelVersionSummary {
  id: string;
  sha256: string;
  sizeBytes: number;
  source: string;
  createdBy: string;
  createdAt: string;
  card: Record<string, unknown>;
}

/** Version id from the artifact's hash: the same bytes are the same version. */
export function modelVersionId(sha256: string): string {
  return `m-${sha256.slice(0, 12)}`;
}

/**
 * Immutable model versions (artifact + card) and the champion / challenger aliases. Training from
 * the decision history lives here too, so the demo's first start, the CLI and retraining share it.
 */
@Injectable()
export class ModelRegistry {
  private readonly logger = new Logger(ModelRegistry.name);
  private readonly aliasListeners = new Set<() => Promise<void>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Stores a version; the same bytes again return the version already stored. */
  async register(artifacts: ModelArtifacts | { onnx: Uint8Array; card: Record<string, unknown> }, source: 'trainer' | 'upload', createdBy: string): Promise<ModelVersionSummary> {
    const sha256 = sha256Hex(artifacts.onnx);
    const id = modelVersionId(sha256);
    await this.dataSource.query(
      `INSERT INTO model_versions (id, sha256, size_bytes, artifact, card, source, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (sha256) DO NOTHING`,
      [id, sha256, artifacts.onnx.byteLength, Buffer.from(artifacts.onnx), JSON.stringify({ ...artifacts.card, sha256 }), source, createdBy],
    );
    return this.get(id);
  }

  async get(id: string): Promise<ModelVersionSummary> {
    const [row] = (await this.dataSource.query(`SELECT id, sha256, size_bytes, source, created_by, created_at, card FROM model_versions WHERE id = $1`, [id])) as Array<
      Record<string, unknown>
    >;
    if (!row) throw DomainError.notFound('model version', id);
    return {
      id: String(row['id']),
      sha256: String(row['sha256']),
      sizeBytes: Number(row['size_bytes']),
      source: String(row['source']),
      createdBy: String(row['created_by']),
      createdAt: new Date(row['created_at'] as string).toISOString(),
      card: row['card'] as Record<string, unknown>,
    };
  }

  async artifact(id: string): Promise<Uint8Array> {
    const [row] = (await this.dataSource.query(`SELECT artifact FROM model_versions WHERE id = $1`, [id])) as Array<{ artifact: Uint8Array | null }>;
    if (!row) throw DomainError.notFound('model version', id);
    if (!row.artifact) throw new DomainError('UNAVAILABLE', `the artifact of ${id} is not stored in the database`);
    return new Uint8Array(row.artifact);
  }

  async aliases(): Promise<Map<ModelAlias, string>> {
    const rows = (await this.dataSource.query(`SELECT alias, model_version_id FROM model_aliases`)) as Array<{ alias: ModelAlias; model_version_id: string }>;
    return new Map(rows.map((row) => [row.alias, row.model_version_id]));
  }

  async setAlias(alias: ModelAlias, versionId: string, by: string, reason: string): Promise<void> {
    await this.get(versionId);
    await this.dataSource.query(
      `INSERT INTO model_aliases (alias, model_version_id, updated_by, reason, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (alias) DO UPDATE SET model_version_id = EXCLUDED.model_version_id, updated_by = EXCLUDED.updated_by, reason = EXCLUDED.reason, updated_at = now()`,
      [alias, versionId, by, reason],
    );
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

  /** Trains on the decision history and registers the result (not promoted). */
  async trainFromHistory(createdBy: string): Promise<ModelVersionSummary> {
    const started = Date.now();
    const data = await this.trainingSet();
    const artifacts = trainDemandModel(data, { createdBy, createdAt: new Date(this.clock.now()).toISOString() });
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
