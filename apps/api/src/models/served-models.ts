import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { OrtDemandModel } from '@dynaprice/ort';
import { DEMAND_FEATURE_COUNT } from '@dynaprice/pricing';
import { MODEL_ALIASES, ModelRegistry, type ModelAlias } from './model-registry.service';

/** How often aliases are re-read, so a promotion on another instance reaches this one. */
const ALIAS_POLL_MS = 2_000;
/** A replaced session is released after in-flight requests had time to finish with it. */
const RELEASE_DELAY_MS = 10_000;

/**
 * The ONNX Runtime sessions that serve prices, by alias. A promotion loads the new version first and
 * then swaps the reference in one step: a request uses the old model or the new one, never neither.
 */
@Injectable()
export class ServedModels implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ServedModels.name);
  private readonly byAlias = new Map<ModelAlias, OrtDemandModel>();
  private readonly byVersion = new Map<string, OrtDemandModel>();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private syncing: Promise<void> | null = null;

  constructor(private readonly registry: ModelRegistry) {}

  async onModuleInit(): Promise<void> {
    await this.sync();
    this.unsubscribe = this.registry.onAliasesChanged(() => this.sync());
    this.timer = setInterval(() => void this.sync().catch(() => undefined), ALIAS_POLL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.byVersion.values()].map((model) => model.release()));
    this.byVersion.clear();
    this.byAlias.clear();
  }

  get(alias: ModelAlias): OrtDemandModel | null {
    return this.byAlias.get(alias) ?? null;
  }

  /** A specific version (experiments pin versions), loaded on first use. */
  async version(id: string): Promise<OrtDemandModel> {
    const loaded = this.byVersion.get(id);
    if (loaded) return loaded;
    const model = await OrtDemandModel.create(await this.registry.artifact(id), { version: id, numFeatures: DEMAND_FEATURE_COUNT });
    this.byVersion.set(id, model);
    return model;
  }

  /** Re-reads the aliases and swaps in any version that changed. */
  sync(): Promise<void> {
    if (!this.syncing) this.syncing = this.syncOnce().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const aliases = await this.registry.aliases();
    for (const alias of MODEL_ALIASES) {
      const wanted = aliases.get(alias);
      const current = this.byAlias.get(alias);
      if (current?.version === wanted) continue;
      if (!wanted) {
        this.byAlias.delete(alias);
        continue;
      }
      try {
        this.byAlias.set(alias, await this.version(wanted));
        this.logger.log({ msg: 'serving model', alias, version: wanted, previous: current?.version ?? null });
      } catch (error) {
        this.logger.error({ msg: 'could not load model; keeping the previous one', alias, version: wanted, error: String(error) });
      }
    }
    this.releaseUnused();
  }

  private releaseUnused(): void {
    const inUse = new Set([...this.byAlias.values()].map((model) => model.version));
    for (const [version, model] of this.byVersion) {
      if (inUse.has(version)) continue;
      this.byVersion.delete(version);
      setTimeout(() => void model.release(), RELEASE_DELAY_MS).unref();
    }
  }
}
