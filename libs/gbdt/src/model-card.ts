import { createHash } from 'node:crypto';
import { DomainError } from '@dynaprice/kernel';
import {
  exportOnnx,
  MODEL_CARD_METADATA_KEY,
  ONNX_INPUT_NAME,
  ONNX_ML_OPSET,
  ONNX_OPSET,
  ONNX_OUTPUT_NAME,
  TREES_METADATA_KEY,
  treesToJson,
} from './onnx-export';
import { DEFAULT_PROTECTED_ATTRIBUTES } from './protected-attributes';
import type { FeatureType, GbdtLoss, GbdtModel, GbdtParams, MonotoneDirection, ReferenceDistribution, RegressionMetrics, TargetTransform } from './types';

export interface ModelCardFeature {
  readonly name: string;
  /** Column of the input tensor. */
  readonly index: number;
  readonly type: FeatureType;
  readonly monotone: MonotoneDirection;
  /** Categorical features read from text: code i means vocabulary[i]. Null when the codes are numbers. */
  readonly vocabulary: readonly string[] | null;
}

/**
 * What is known about a model version. The copy embedded in the ONNX (`metadata_props`
 * key `dynaprice.model_card`) has no `sha256`; the copy written beside the ONNX
 * (model-card.json) adds `sha256` = hex SHA-256 of the exact ONNX bytes (which contain the
 * embedded copy), so the card can be checked against the artifact.
 */
export interface ModelCard {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly features: readonly ModelCardFeature[];
  readonly target: { readonly name: string; readonly loss: GbdtLoss; readonly transform: TargetTransform; readonly output: 'units' };
  readonly trainingData: {
    /** ISO dates of the first and last training row, when the rows had dates. */
    readonly from: string | null;
    readonly to: string | null;
    /** All rows used (training + validation split). */
    readonly rows: number;
    readonly trainingRows: number;
    readonly validationRows: number;
  };
  /** On the validation split, in target units. */
  readonly validation: RegressionMetrics | null;
  readonly bestIteration: number;
  readonly treeCount: number;
  readonly hyperParameters: GbdtParams;
  /** Total split gain per feature and its share of the total, largest first. */
  readonly featureImportance: readonly { readonly feature: string; readonly gain: number; readonly share: number }[];
  readonly referenceDistributions: readonly ReferenceDistribution[];
  /** Attribute names that were refused as features when this model was trained. */
  readonly protectedAttributes: readonly string[];
  readonly onnx: {
    readonly input: string;
    readonly output: string;
    readonly opset: number;
    readonly mlOpset: number;
    /** metadata_props key holding the trees with covers (TreeSHAP). */
    readonly treesMetadataKey: string;
  };
  readonly createdBy: string;
  /** ISO timestamp, given by the caller (so that output is reproducible). */
  readonly createdAt: string;
  /** Only in the card beside the ONNX: SHA-256 (hex) of the ONNX bytes. */
  readonly sha256?: string;
}

export interface ModelCardInput {
  readonly name?: string;
  readonly targetName: string;
  /** Vocabularies of categorical features read from text, by feature name. */
  readonly vocabularies?: Readonly<Record<string, readonly string[]>>;
  readonly trainingWindow?: { readonly from: string | null; readonly to: string | null };
  readonly protectedAttributes?: readonly string[];
  readonly createdBy: string;
  readonly createdAt: string;
}

/** The card of a trained model, without `sha256`. */
export function buildModelCard(model: GbdtModel, input: ModelCardInput): ModelCard {
  if (Number.isNaN(Date.parse(input.createdAt))) throw DomainError.validation('createdAt', 'must be an ISO date-time');
  if (!input.createdBy.trim()) throw DomainError.validation('createdBy', 'must not be empty');
  const totalGain = model.featureImportance.reduce((sum, g) => sum + g, 0);
  return {
    schemaVersion: 1,
    name: input.name ?? 'demand',
    features: model.features.map((f, index) => ({
      name: f.name,
      index,
      type: f.type,
      monotone: f.monotone ?? 0,
      vocabulary: input.vocabularies?.[f.name] ? [...(input.vocabularies[f.name] as readonly string[])] : null,
    })),
    target: { name: input.targetName, loss: model.params.loss, transform: model.params.targetTransform, output: 'units' },
    trainingData: {
      from: input.trainingWindow?.from ?? null,
      to: input.trainingWindow?.to ?? null,
      rows: model.trainingRows + model.validationRows,
      trainingRows: model.trainingRows,
      validationRows: model.validationRows,
    },
    validation: model.validationMetrics,
    bestIteration: model.bestIteration,
    treeCount: model.trees.length,
    hyperParameters: model.params,
    featureImportance: model.features
      .map((f, i) => ({ feature: f.name, gain: model.featureImportance[i] as number, share: totalGain > 0 ? (model.featureImportance[i] as number) / totalGain : 0 }))
      .sort((a, b) => b.gain - a.gain || a.feature.localeCompare(b.feature)),
    referenceDistributions: model.referenceDistributions,
    protectedAttributes: [...(input.protectedAttributes ?? DEFAULT_PROTECTED_ATTRIBUTES)],
    onnx: { input: ONNX_INPUT_NAME, output: ONNX_OUTPUT_NAME, opset: ONNX_OPSET, mlOpset: ONNX_ML_OPSET, treesMetadataKey: TREES_METADATA_KEY },
    createdBy: input.createdBy,
    createdAt: input.createdAt,
  };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The artifacts of a model version: ONNX bytes (card and trees embedded) and the card with sha256. */
export interface ModelArtifacts {
  readonly onnx: Uint8Array;
  readonly card: ModelCard;
}

/** Builds the card, exports the ONNX with the card and the trees embedded, and stamps the card with the ONNX's sha256. */
export function createModelArtifacts(model: GbdtModel, input: ModelCardInput): ModelArtifacts {
  const card = buildModelCard(model, input);
  const onnxBytes = exportOnnx(model, {
    metadata: {
      [MODEL_CARD_METADATA_KEY]: JSON.stringify(card),
      [TREES_METADATA_KEY]: treesToJson(model),
    },
  });
  return { onnx: onnxBytes, card: { ...card, sha256: sha256Hex(onnxBytes) } };
}
