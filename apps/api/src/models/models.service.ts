import { Inject, Injectable } from '@nestjs/common';
import { DomainError, uuidv7 } from '@dynaprice/kernel';
import type { UploadedMultipartFile } from '@nestjs/platform-fastify/multipart';
import { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DriftMonitor, type ModelDriftView } from './drift-monitor';
import type { UploadModelDto } from './dto/models.request.dto';
import type { AliasChangeDto, AliasDto, AliasEventDto, ModelVersionDto, RetrainingRunDto, UploadedModelDto } from './dto/models.response.dto';
import { ModelRegistry, MODEL_VERSION_ID, rollbackTarget, type AliasEvent, type ModelAlias, type ModelVersionSummary } from './model-registry.service';
import { MAX_CARD_BYTES, parseUploadedCard, validateModelUpload } from './model-validation';
import { RetrainingService } from './retraining.service';
import { ServedModels } from './served-models';

export interface UploadParts {
  model?: UploadedMultipartFile[];
  card?: UploadedMultipartFile[];
}

function toVersionDto(version: ModelVersionSummary, aliases: ReadonlyMap<ModelAlias, string>): ModelVersionDto {
  const card = version.card;
  const features = Array.isArray(card['features']) ? (card['features'] as unknown[]) : [];
  const object = (value: unknown): Record<string, unknown> | null => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null);
  return {
    id: version.id,
    sha256: version.sha256,
    sizeBytes: version.sizeBytes,
    source: version.source,
    createdBy: version.createdBy,
    createdAt: version.createdAt,
    name: typeof card['name'] === 'string' ? card['name'] : 'demand',
    features: features.map((feature) => {
      const entry = object(feature);
      return { name: typeof feature === 'string' ? feature : String(entry?.['name'] ?? ''), type: typeof entry?.['type'] === 'string' ? (entry['type'] as string) : null };
    }),
    aliases: [...aliases].filter(([, id]) => id === version.id).map(([alias]) => alias),
    trainingData: object(card['trainingData']),
    validation: object(card['validation']),
    artifactLocation: version.artifactLocation,
  };
}

/** The model registry's use cases behind /v1/models: upload, read, promote / roll back, drift, retraining. */
@Injectable()
export class ModelsService {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly served: ServedModels,
    private readonly drift: DriftMonitor,
    private readonly retraining: RetrainingService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(limit: number, offset: number): Promise<{ items: ModelVersionDto[]; total: number; limit: number; offset: number }> {
    const [page, aliases] = await Promise.all([this.registry.list(limit, offset), this.registry.aliases()]);
    return { items: page.items.map((version) => toVersionDto(version, aliases)), total: page.total, limit, offset };
  }

  async get(id: string): Promise<ModelVersionDto> {
    const [version, aliases] = await Promise.all([this.registry.get(this.checkId(id)), this.registry.aliases()]);
    return toVersionDto(version, aliases);
  }

  async card(id: string): Promise<Record<string, unknown>> {
    return (await this.registry.get(this.checkId(id))).card;
  }

  async artifact(id: string): Promise<{ bytes: Uint8Array; sha256: string; filename: string }> {
    const version = await this.registry.get(this.checkId(id));
    return { bytes: await this.registry.artifact(version.id), sha256: version.sha256, filename: `${version.id}.onnx` };
  }

  /** Validates, then stores (nothing is written for a refused upload); the same bytes return the existing version. */
  async upload(parts: UploadParts | undefined, body: UploadModelDto, caller: string): Promise<UploadedModelDto> {
    const file = parts?.model?.[0];
    if (!file?.buffer) throw DomainError.validation('model', 'is required: send the ONNX file as the multipart/form-data part "model"');
    const cardPart = parts?.card?.[0];
    if (cardPart && body.card !== undefined) throw DomainError.validation('card', 'send the card once: as a file part or as a text field, not both');
    if (cardPart && cardPart.size > MAX_CARD_BYTES) throw new DomainError('PAYLOAD_TOO_LARGE', `card: larger than ${MAX_CARD_BYTES} bytes`);
    const onnx = new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength);
    const uploadedCard = parseUploadedCard(cardPart?.buffer ? new Uint8Array(cardPart.buffer) : body.card);
    const validated = await validateModelUpload(onnx, uploadedCard, { protectedAttributes: this.config.models.protectedAttributes });
    const card = {
      ...validated.card,
      createdBy: typeof validated.card['createdBy'] === 'string' ? validated.card['createdBy'] : caller,
      createdAt: typeof validated.card['createdAt'] === 'string' ? validated.card['createdAt'] : this.clock.date().toISOString(),
    };
    const { version, created } = await this.registry.registerVersion({ onnx, card }, 'upload', caller);
    return { ...toVersionDto(version, await this.registry.aliases()), created, cardEmbedded: validated.cardEmbedded };
  }

  async aliases(): Promise<AliasDto[]> {
    return this.registry.aliasStates();
  }

  async aliasHistory(alias: ModelAlias | undefined, limit: number): Promise<AliasEventDto[]> {
    return this.registry.aliasHistory(alias ?? null, limit);
  }

  /**
   * Points an alias at a version. The version is loaded into onnxruntime first, so a model that cannot be
   * served never takes traffic; the answer comes once this instance serves it.
   */
  async promote(id: string, alias: ModelAlias, reason: string, caller: string): Promise<AliasChangeDto> {
    const version = await this.registry.get(this.checkId(id));
    await this.preload(version.id);
    const event = await this.registry.setAlias(alias, version.id, caller, reason);
    return this.aliasChange(alias, event);
  }

  /** Moves an alias back to the version it served before its latest promotion. */
  async rollback(alias: ModelAlias, reason: string, caller: string): Promise<AliasChangeDto> {
    const history = await this.registry.aliasHistory(alias, 10_000);
    const target = rollbackTarget([...history].reverse());
    if (target) await this.preload(target);
    const event = await this.registry.rollback(alias, caller, reason);
    return this.aliasChange(alias, event);
  }

  async driftOf(id: string): Promise<ModelDriftView> {
    const version = await this.registry.get(this.checkId(id));
    return this.drift.view(version.id);
  }

  async retrainingRuns(limit: number): Promise<RetrainingRunDto[]> {
    return this.retraining.list(limit);
  }

  async retrainingRun(id: string): Promise<RetrainingRunDto> {
    return this.retraining.get(id);
  }

  /** Queues a manual retraining run (the new version becomes the challenger). */
  async retrain(reason: string, caller: string): Promise<RetrainingRunDto> {
    const id = uuidv7(this.clock.now());
    return (await this.retraining.enqueue('manual', `manual:${id}`, reason, caller, null, id)).run;
  }

  private async preload(id: string): Promise<void> {
    try {
      await this.served.version(id);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'VALIDATION_FAILED') throw new DomainError('PRECONDITION_FAILED', `${id} cannot be served: ${error.message}`);
      throw error;
    }
  }

  private async aliasChange(alias: ModelAlias, event: AliasEvent | null): Promise<AliasChangeDto> {
    const state = (await this.registry.aliasStates()).find((entry) => entry.alias === alias);
    if (!state) throw new DomainError('UNAVAILABLE', `${alias} vanished`);
    return { alias: state, event };
  }

  private checkId(id: string): string {
    if (!MODEL_VERSION_ID.test(id)) throw DomainError.validation('id', 'must be a model version id such as m-3f2a9c1b0d4e');
    return id;
  }
}
