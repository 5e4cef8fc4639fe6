import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { assignmentUnitId, createAssigner, type AssignmentUnit, type HashVersion } from '@dynaprice/experiments';
import { OrtDemandModel } from '@dynaprice/ort';
import { DEMAND_FEATURE_COUNT, type DemandModel } from '@dynaprice/pricing';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { MODEL_ALIASES, ModelRegistry, type ModelAlias } from '../models/model-registry.service';
import { ServedModels } from '../models/served-models';
import { CustomerHasher } from '../sales/customer-hasher';
import { ExperimentEntity, type StoredVariant } from './entities/experiment.entity';

/** How often the experiments are re-read, so a change on another instance reaches this one. */
const POLL_MS = 2_000;
/** A pinned model no experiment uses any more is released after in-flight requests finished with it. */
const RELEASE_DELAY_MS = 10_000;

/** Who is priced, for assignment. */
export interface UnitKeys {
  storeId: string;
  skuCode: string;
  category: string;
  customerId?: string;
  sessionId?: string;
}

/** The variant an experiment gives a unit. */
export interface Assignment {
  experimentId: string;
  variant: StoredVariant;
  /** A guardrail sent this treatment back to legacy pricing. */
  fallenBack: boolean;
  /** The experiment is over and its shipped (or rolled-back-to) variant prices the whole scope. */
  settled: boolean;
}

interface CompiledExperiment {
  id: string;
  unit: AssignmentUnit;
  storeIds: Set<string> | null;
  categories: Set<string> | null;
  variants: Map<string, StoredVariant>;
  fallbacks: Set<string>;
  assign: (unitId: string) => string | null;
  startedAt: number;
  endsAt: number | null;
  /** For settled experiments: the variant that prices everyone. */
  shipped: StoredVariant | null;
}

function isAlias(reference: string): reference is ModelAlias {
  return (MODEL_ALIASES as readonly string[]).includes(reference);
}

function compile(row: ExperimentEntity): CompiledExperiment {
  const variants = new Map(row.variants.map((variant) => [variant.key, variant]));
  const settled = row.status === 'shipped' || row.status === 'rolled_back';
  return {
    id: row.id,
    unit: row.unit as AssignmentUnit,
    storeIds: row.scope.storeIds ? new Set(row.scope.storeIds) : null,
    categories: row.scope.categories ? new Set(row.scope.categories) : null,
    variants,
    fallbacks: new Set(row.fallbacks.map((fallback) => fallback.variant)),
    assign: createAssigner({
      salt: row.salt,
      unit: row.unit as AssignmentUnit,
      hashVersion: row.hashVersion as HashVersion,
      coverage: row.coverage,
      variants: row.variants.map((variant) => ({ key: variant.key, weight: variant.weight })),
    }),
    startedAt: row.startedAt ? +row.startedAt : 0,
    endsAt: row.endsAt ? +row.endsAt : null,
    shipped: settled && row.shippedVariant ? (variants.get(row.shippedVariant) ?? null) : null,
  };
}

/**
 * The hot path's in-memory view of the experiments that price something: the running ones (each
 * store × SKU is in at most one) and the settled ones (shipped or rolled back, most recent first).
 * `assign` is synchronous and allocation-light: it runs for every basket line. Changes through this
 * instance refresh it at once (`refresh`), other instances' changes within POLL_MS.
 */
@Injectable()
export class ActiveExperiments implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ActiveExperiments.name);
  private running: CompiledExperiment[] = [];
  private settled: CompiledExperiment[] = [];
  private stamp = '';
  private timer: NodeJS.Timeout | null = null;
  private loading: Promise<void> | null = null;
  private readonly pinned = new Map<string, Promise<OrtDemandModel | null>>();
  private readonly pinnedReady = new Map<string, OrtDemandModel>();
  /** The last customer / session id hashed: a basket's lines share it. */
  private lastCustomer: { id: string; hash: string } | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly served: ServedModels,
    private readonly registry: ModelRegistry,
    private readonly customers: CustomerHasher,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.loading?.catch(() => undefined);
    const models = [...this.pinnedReady.values()];
    this.pinnedReady.clear();
    this.pinned.clear();
    await Promise.all(models.map((model) => model.release()));
  }

  /**
   * The variant of a store × SKU (and customer / session, for customer experiments) under the running
   * experiment whose scope covers it, else under the most recently settled one; null: default pricing.
   */
  assign(keys: UnitKeys, now = this.clock.now()): Assignment | null {
    for (const experiment of this.running) {
      if (!this.covers(experiment, keys.storeId, keys.category)) continue;
      if (experiment.endsAt !== null && now >= experiment.endsAt) continue;
      const unitId = this.unitId(experiment.unit, keys);
      if (unitId === null) continue;
      const key = experiment.assign(unitId);
      const variant = key === null ? undefined : experiment.variants.get(key);
      if (!variant) continue;
      return { experimentId: experiment.id, variant, fallenBack: experiment.fallbacks.has(variant.key), settled: false };
    }
    for (const experiment of this.settled) {
      if (!experiment.shipped || !this.covers(experiment, keys.storeId, keys.category)) continue;
      return { experimentId: experiment.id, variant: experiment.shipped, fallenBack: false, settled: true };
    }
    return null;
  }

  /**
   * The running experiment that covered a store × category at `time` and the variant it gives a
   * customer (by the HMAC of the id): sales ingestion uses it to pick the decision a customer was shown.
   */
  customerVariantAt(storeId: string, category: string, customerHash: string, time: number): { experimentId: string; variant: string } | null {
    for (const experiment of this.running) {
      if (experiment.unit !== 'customer' || time < experiment.startedAt || !this.covers(experiment, storeId, category)) continue;
      const variant = experiment.assign(customerHash);
      return variant === null ? null : { experimentId: experiment.id, variant };
    }
    return null;
  }

  /** The model of a variant: an alias as served right now, or a pinned version (loaded when the experiment was). */
  model(reference: string | undefined): DemandModel | null {
    if (reference === undefined) return this.served.get('champion');
    if (isAlias(reference)) return this.served.get(reference);
    for (const alias of MODEL_ALIASES) {
      const model = this.served.get(alias);
      if (model?.version === reference) return model;
    }
    return this.pinnedReady.get(reference) ?? null;
  }

  /** Re-reads the experiments now (after a change through this instance). */
  refresh(): Promise<void> {
    const next = (this.loading ?? Promise.resolve()).catch(() => undefined).then(() => this.load());
    const tracked = next.finally(() => {
      if (this.loading === tracked) this.loading = null;
    });
    this.loading = tracked;
    return tracked;
  }

  private async poll(): Promise<void> {
    try {
      const [row] = (await this.dataSource.query(
        `SELECT coalesce(string_agg(id || ':' || version, ',' ORDER BY id), '') AS stamp FROM experiments WHERE status IN ('running', 'shipped', 'rolled_back')`,
      )) as Array<{ stamp: string }>;
      if ((row?.stamp ?? '') !== this.stamp) await this.refresh();
    } catch (error) {
      this.logger.warn({ msg: 'could not re-read experiments; keeping the ones in memory', error: String(error) });
    }
  }

  private async load(): Promise<void> {
    const rows = await this.dataSource.getRepository(ExperimentEntity).find({ where: [{ status: 'running' }, { status: 'shipped' }, { status: 'rolled_back' }] });
    const running = rows.filter((row) => row.status === 'running').sort((a, b) => +(a.startedAt ?? 0) - +(b.startedAt ?? 0));
    const settled = rows.filter((row) => row.status !== 'running').sort((a, b) => +(b.stoppedAt ?? 0) - +(a.stoppedAt ?? 0));
    const references = new Set<string>();
    for (const row of [...running, ...settled]) {
      for (const variant of row.variants) if (variant.kind === 'model' && variant.model && !isAlias(variant.model)) references.add(variant.model);
    }
    // Pinned versions are loaded before the experiments that use them are swapped in.
    await Promise.all([...references].map((reference) => this.loadPinned(reference)));
    this.running = running.map(compile);
    this.settled = settled.map(compile);
    this.stamp = rows
      .map((row) => `${row.id}:${row.version}`)
      .sort()
      .join(',');
    this.releasePinned(references);
  }

  private loadPinned(version: string): Promise<OrtDemandModel | null> {
    let load = this.pinned.get(version);
    if (!load) {
      load = this.registry
        .artifact(version)
        .then((bytes) => OrtDemandModel.create(bytes, { version, numFeatures: DEMAND_FEATURE_COUNT }))
        .then((model) => {
          this.pinnedReady.set(version, model);
          return model;
        })
        .catch((error: unknown) => {
          this.pinned.delete(version);
          this.logger.error({ msg: 'could not load a model version an experiment pins; its variant prices by the legacy fallback', version, error: String(error) });
          return null;
        });
      this.pinned.set(version, load);
    }
    return load;
  }

  private releasePinned(inUse: ReadonlySet<string>): void {
    for (const [version, model] of this.pinnedReady) {
      if (inUse.has(version)) continue;
      this.pinnedReady.delete(version);
      this.pinned.delete(version);
      setTimeout(() => void model.release(), RELEASE_DELAY_MS).unref();
    }
  }

  private covers(experiment: CompiledExperiment, storeId: string, category: string): boolean {
    return (experiment.storeIds === null || experiment.storeIds.has(storeId)) && (experiment.categories === null || experiment.categories.has(category));
  }

  private unitId(unit: AssignmentUnit, keys: UnitKeys): string | null {
    switch (unit) {
      case 'store':
        return keys.storeId;
      case 'store_sku':
        return assignmentUnitId('store_sku', keys);
      case 'customer': {
        const id = keys.customerId ?? keys.sessionId;
        if (id === undefined) return null;
        if (this.lastCustomer?.id !== id) this.lastCustomer = { id, hash: this.customers.hash(id) };
        return this.lastCustomer.hash;
      }
    }
  }
}
