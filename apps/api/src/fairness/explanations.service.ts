import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DEFAULT_GBDT_PARAMS, ModelShapExplainer, runPostProgram, unitsProgram, type PostProgram } from '@dynaprice/gbdt';
import { DomainError, MS_PER_DAY, roundTo } from '@dynaprice/kernel';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { ModelRegistry } from '../models/model-registry.service';
import type { DecisionRecord } from '../pricing/decision-journal';
import { DecisionsService } from '../pricing/decisions.service';
import type { DecisionReason } from '../pricing/dto/price-basket.response.dto';
import type {
  AppliedOverrideDto,
  AttributionDto,
  DecisionExplanationDto,
  ExplainedRunnerUpDto,
  NoAttributionCode,
  NoAttributionDto,
  PriceBindingDto,
  UnconstrainedDto,
} from './dto/explanation.dto';

/** Background rows kept per model version without covers (interventional TreeSHAP). */
export const BACKGROUND_ROWS = 100;
/** Days of decisions the background is drawn from. */
const BACKGROUND_DAYS = 28;
/** Model versions whose explainer stays in memory. */
const CACHED_MODELS = 8;

interface CardFeature {
  name: string;
  type: string;
  vocabulary: string[] | null;
}

/** What explaining one model version needs, built once per version. */
interface LoadedModel {
  explainer: ModelShapExplainer;
  features: CardFeature[];
  link: AttributionDto['link'];
  backgroundSource: string | null;
}

type Loaded = { ok: true; model: LoadedModel } | { ok: false; problem: NoAttributionDto };

interface RunnerUpDetail {
  price: number;
  expectedUnits: number;
  expectedProfit: number;
  lostBecause: 'excluded' | 'lowerProfit' | 'tieBreak';
  excludedBy: string | null;
}

const money = (value: number): string => value.toFixed(2);

function sameProgram(a: PostProgram, b: PostProgram): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** How the graph turns the raw score into units. */
export function linkOf(post: PostProgram): AttributionDto['link'] {
  if (post.instructions.length === 0 && post.output === 0) return 'identity';
  if (sameProgram(post, unitsProgram({ params: { ...DEFAULT_GBDT_PARAMS, loss: 'poisson' } }))) return 'log';
  if (sameProgram(post, unitsProgram({ params: { ...DEFAULT_GBDT_PARAMS, targetTransform: 'log1p' } }))) return 'log1p';
  return 'other';
}

const EXPLAINS: Record<AttributionDto['link'], string> = {
  log: 'the raw score of the demand model at the chosen price: log(expected units); units = exp(score)',
  log1p: 'the raw score of the demand model at the chosen price: log1p(expected units); units = expm1(max(score, 0))',
  identity: 'the demand model’s prediction at the chosen price, in units',
  other: 'the raw score of the tree ensemble at the chosen price, before the graph’s element-wise steps to units',
};

/**
 * Explanations of price decisions (SPEC §6): exact TreeSHAP attributions of the demand model's raw score
 * at the chosen price, recomputed from the decision's stored model version and feature row; the
 * runner-up prices and why they lost; the guardrail or override that bound the price.
 */
@Injectable()
export class ExplanationsService {
  private readonly logger = new Logger(ExplanationsService.name);
  private readonly models = new Map<string, Promise<Loaded>>();

  constructor(
    private readonly decisions: DecisionsService,
    private readonly registry: ModelRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async explain(id: string): Promise<DecisionExplanationDto> {
    const record = await this.decisions.record(id);
    const { attribution, noAttribution } = await this.attribute(record);
    return {
      decisionId: record.id,
      decidedAt: record.decidedAt,
      storeId: record.storeId,
      skuCode: record.skuCode,
      price: record.price,
      listPrice: record.listPrice,
      currency: record.currency,
      variant: record.variant,
      experimentId: record.experimentId,
      modelVersion: record.modelVersion,
      expectedUnits: record.expectedUnits,
      expectedProfit: record.expectedMargin,
      attribution,
      noAttribution,
      runnersUp: runnersUpOf(record),
      binding: bindingOf(record),
    };
  }

  private async attribute(record: DecisionRecord): Promise<{ attribution: AttributionDto | null; noAttribution: NoAttributionDto | null }> {
    const none = (code: NoAttributionCode, message: string): { attribution: null; noAttribution: NoAttributionDto } => ({ attribution: null, noAttribution: { code, message } });
    if (!record.modelVersion) {
      const why =
        record.reason === 'legacy'
          ? 'the legacy markdown rule priced this decision'
          : record.reason === 'override'
            ? 'an override priced this decision outside any model'
            : `no model version is recorded for this ${record.reason} decision`;
      return none('NO_MODEL', `${why}: there is no model prediction to attribute`);
    }
    if (!record.features || record.features.length === 0) return none('NO_FEATURES', `the decision recorded no feature row for model ${record.modelVersion}`);
    const loaded = await this.model(record.modelVersion);
    if (!loaded.ok) return { attribution: null, noAttribution: loaded.problem };
    const { explainer, features, link, backgroundSource } = loaded.model;
    if (record.features.length !== explainer.numFeatures) {
      return none('SCHEMA_MISMATCH', `the decision’s feature row has ${record.features.length} values, model ${record.modelVersion} reads ${explainer.numFeatures}`);
    }
    const result = explainer.explain(record.features);
    const sum = result.values.reduce((total, value) => total + value, 0);
    return {
      attribution: {
        method: result.method,
        explains: EXPLAINS[link],
        link,
        baseValue: result.baseValue,
        rawPrediction: result.prediction,
        additivityError: Math.abs(result.baseValue + sum - result.prediction),
        modelRawOutput: result.modelRaw,
        predictedUnits: result.units,
        baseUnits: runPostProgram(explainer.post, Math.fround(result.baseValue)),
        backgroundRows: explainer.method === 'interventional' ? explainer.backgroundRows : null,
        backgroundSource,
        features: Array.from(result.values, (attribution, index) => {
          const feature = features[index] ?? { name: `feature_${index}`, type: 'numeric', vocabulary: null };
          const value = record.features?.[index] as number;
          const finite = Number.isFinite(value);
          return {
            feature: feature.name,
            index,
            type: feature.type,
            value: finite ? value : null,
            label: finite && feature.vocabulary && Number.isInteger(value) ? (feature.vocabulary[value] ?? null) : null,
            attribution,
          };
        }),
      },
      noAttribution: null,
    };
  }

  /** The explainer of a model version (cached; a failed load is not cached). */
  private model(version: string): Promise<Loaded> {
    let loading = this.models.get(version);
    if (!loading) {
      loading = this.load(version);
      this.models.set(version, loading);
      // Only explainers are kept: a model that could not be explained is tried again next time.
      void loading.then(
        (loaded) => (loaded.ok ? undefined : this.models.delete(version)),
        () => this.models.delete(version),
      );
      while (this.models.size > CACHED_MODELS) this.models.delete(this.models.keys().next().value as string);
    }
    return loading;
  }

  private async load(version: string): Promise<Loaded> {
    let bytes: Uint8Array;
    let card: Record<string, unknown>;
    try {
      [bytes, card] = await Promise.all([this.registry.artifact(version), this.registry.get(version).then((summary) => summary.card)]);
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'NOT_FOUND' || error.code === 'UNAVAILABLE')) {
        return { ok: false, problem: { code: 'MODEL_UNAVAILABLE', message: `model version ${version} cannot be read: ${error.message}` } };
      }
      throw error;
    }
    const features = cardFeatures(card);
    if (ModelShapExplainer.hasCovers(bytes)) {
      const explainer = ModelShapExplainer.create(bytes);
      return { ok: true, model: { explainer, features, link: linkOf(explainer.post), backgroundSource: null } };
    }
    const background = await this.background(version, features.length);
    if (!background) {
      return { ok: false, problem: { code: 'NO_BACKGROUND', message: `model ${version} has no node covers and no decision feature rows exist yet to explain it against` } };
    }
    const explainer = ModelShapExplainer.create(bytes, { rows: background.rows, count: background.count });
    return { ok: true, model: { explainer, features, link: linkOf(explainer.post), backgroundSource: background.source } };
  }

  /**
   * The stored background of a model version, chosen on first use: up to BACKGROUND_ROWS decision feature
   * rows of the last BACKGROUND_DAYS days, picked by a hash of the decision id, kept so that every later
   * explanation of the version uses the same rows.
   */
  private async background(version: string, width: number): Promise<{ rows: Float32Array; count: number; source: string } | null> {
    const read = async (): Promise<{ rows: Float32Array; count: number; source: string } | null> => {
      const [row] = (await this.dataSource.query(`SELECT rows, row_count, source FROM explanation_backgrounds WHERE model_version = $1`, [version])) as Array<{
        rows: Array<Array<number | null>>;
        row_count: number;
        source: string;
      }>;
      if (!row) return null;
      const count = row.rows.length;
      const rows = new Float32Array(count * width);
      row.rows.forEach((values, r) => values.forEach((value, f) => (rows[r * width + f] = value === null ? Number.NaN : value)));
      return { rows, count, source: row.source };
    };
    const stored = await read();
    if (stored) return stored;
    const to = this.clock.now();
    const from = to - BACKGROUND_DAYS * MS_PER_DAY;
    const picked = (await this.dataSource.query(
      `SELECT features FROM price_decisions
       WHERE decided_at >= $1 AND decided_at <= $2 AND features IS NOT NULL AND cardinality(features) = $3
       ORDER BY md5(id::text) LIMIT $4`,
      [new Date(from).toISOString(), new Date(to).toISOString(), width, BACKGROUND_ROWS],
    )) as Array<{ features: unknown[] }>;
    if (picked.length === 0) return null;
    const rows = picked.map((row) => row.features.map((value) => (value === null || value === 'NaN' || Number.isNaN(Number(value)) ? null : Number(value))));
    const source = `${rows.length} decision feature rows of ${new Date(from).toISOString().slice(0, 10)}..${new Date(to).toISOString().slice(0, 10)}, chosen by md5(decision id)`;
    await this.dataSource.query(
      `INSERT INTO explanation_backgrounds (model_version, rows, row_count, source) VALUES ($1, $2, $3, $4) ON CONFLICT (model_version) DO NOTHING`,
      [version, JSON.stringify(rows), rows.length, source],
    );
    this.logger.log({ msg: 'explanation background stored', version, rows: rows.length });
    return read();
  }
}

function cardFeatures(card: Record<string, unknown>): CardFeature[] {
  const raw = card['features'];
  if (!Array.isArray(raw)) return [];
  return raw.map((entry: unknown, index) => {
    const feature = (entry ?? {}) as Record<string, unknown>;
    const vocabulary = feature['vocabulary'];
    return {
      name: typeof feature['name'] === 'string' ? feature['name'] : `feature_${index}`,
      type: feature['type'] === 'categorical' ? 'categorical' : 'numeric',
      vocabulary: Array.isArray(vocabulary) ? vocabulary.map(String) : null,
    };
  });
}

function runnersUpOf(record: DecisionRecord): ExplainedRunnerUpDto[] {
  const runnersUp = (record.detail?.['runnersUp'] as RunnerUpDetail[] | undefined) ?? [];
  return runnersUp.map((candidate) => {
    const shortfall = roundTo(record.expectedMargin - candidate.expectedProfit, 4);
    const why =
      candidate.lostBecause === 'excluded'
        ? `excluded by the ${candidate.excludedBy ?? 'guardrail'} guardrail${shortfall < 0 ? ` (it would have made ${money(-shortfall)} more expected profit)` : ''}`
        : candidate.lostBecause === 'lowerProfit'
          ? `allowed, but ${money(shortfall)} less expected profit`
          : 'the same expected profit; lost the tie-break (nearer the reference price, then the higher price, wins)';
    return { ...candidate, profitShortfall: shortfall, why };
  });
}

function bindingOf(record: DecisionRecord): PriceBindingDto {
  const detail = record.detail ?? {};
  const reason = record.reason as DecisionReason;
  const override = (detail['override'] as AppliedOverrideDto | null | undefined) ?? null;
  const unconstrained = (detail['unconstrained'] as UnconstrainedDto | null | undefined) ?? null;
  const boundLevel = (detail['boundLevel'] as string | null | undefined) ?? null;
  const legacyPrice = typeof detail['legacyPrice'] === 'number' ? detail['legacyPrice'] : null;
  const level = boundLevel ? ` (${boundLevel})` : '';
  let summary: string;
  switch (reason) {
    case 'model':
      summary = `the model chose ${money(record.price)}: the highest expected profit among the allowed candidates`;
      break;
    case 'guardrail':
      summary =
        record.boundBy === 'freeze'
          ? `the SKU is frozen${level}: the price stays ${money(record.price)}`
          : `the model’s free choice ${unconstrained ? money(unconstrained.price) : '(unknown)'} was not allowed: the ${record.boundBy ?? 'guardrail'} limit${level} bound the price to ${money(record.price)}`;
      break;
    case 'override':
      summary = override
        ? `override ${override.id} set the price (${override.reason})${override.clamped ? `, moved onto the ${record.boundBy ?? 'floor / ceiling'}` : ''}`
        : `an override set the price to ${money(record.price)}`;
      break;
    case 'legacy':
      summary = `the legacy markdown rule priced it (${record.variant} variant)${record.boundBy ? `, bound by ${record.boundBy}${level}` : ''}`;
      break;
    case 'fallback':
      summary = 'the model gave no usable prediction in time: the legacy price, within floor and ceiling';
      break;
    default: {
      const unknown: never = reason;
      summary = `reason ${String(unknown)}`;
    }
  }
  return {
    reason,
    boundBy: record.boundBy,
    boundLevel,
    relaxed: (detail['relaxed'] as string[] | undefined) ?? [],
    override,
    legacyPrice,
    unconstrained,
    guardrails: (detail['guardrails'] as Record<string, unknown> | undefined) ?? null,
    lastPrice: typeof detail['lastPrice'] === 'number' ? detail['lastPrice'] : null,
    openingPrice: typeof detail['openingPrice'] === 'number' ? detail['openingPrice'] : null,
    summary,
  };
}
