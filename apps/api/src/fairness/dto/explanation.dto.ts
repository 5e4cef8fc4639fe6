import { ApiProperty } from '@nestjs/swagger';
import { DECISION_REASONS, type DecisionReason } from '../../pricing/dto/price-basket.response.dto';

export const ATTRIBUTION_METHODS = ['path-dependent', 'interventional'] as const;
export const ATTRIBUTION_LINKS = ['log', 'log1p', 'identity', 'other'] as const;
export const NO_ATTRIBUTION_CODES = ['NO_MODEL', 'NO_FEATURES', 'MODEL_UNAVAILABLE', 'SCHEMA_MISMATCH', 'NO_BACKGROUND'] as const;
export type NoAttributionCode = (typeof NO_ATTRIBUTION_CODES)[number];

export class FeatureAttributionDto {
  @ApiProperty({ example: 'days_to_expiry', description: 'Feature name from the model card.' }) feature!: string;
  @ApiProperty({ description: 'Column of the model input.' }) index!: number;
  @ApiProperty({ enum: ['numeric', 'categorical'] }) type!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The value in the decision’s feature row (null = missing).' }) value!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Category name, when the card has a vocabulary for the feature.' }) label!: string | null;
  @ApiProperty({ description: 'SHAP value: this feature’s share of (raw prediction − base value), in raw-score units.' }) attribution!: number;
}

export class AttributionDto {
  @ApiProperty({ enum: ATTRIBUTION_METHODS, description: 'path-dependent TreeSHAP (node covers of the built-in trainer) or interventional TreeSHAP against a stored background sample.' })
  method!: (typeof ATTRIBUTION_METHODS)[number];

  @ApiProperty({ example: 'the raw score of the demand model at the chosen price: log(expected units); units = exp(score)' }) explains!: string;

  @ApiProperty({ enum: ATTRIBUTION_LINKS, description: 'How the raw score becomes units: log (Poisson, units = exp(score)), log1p (units = expm1(max(score, 0))), identity, or other element-wise steps.' })
  link!: (typeof ATTRIBUTION_LINKS)[number];

  @ApiProperty({ description: 'Expected raw score with no feature known (cover-weighted, or the background mean).' }) baseValue!: number;
  @ApiProperty({ description: 'Raw score of the feature row (float64): baseValue + Σ attributions.' }) rawPrediction!: number;
  @ApiProperty({ description: '|baseValue + Σ attributions − rawPrediction|.' }) additivityError!: number;
  @ApiProperty({ description: 'The ONNX graph’s raw score for the row (float32 sum, as onnxruntime computes it).' }) modelRawOutput!: number;
  @ApiProperty({ description: 'Predicted demand in units at the chosen price (the graph’s output).' }) predictedUnits!: number;
  @ApiProperty({ description: 'The base value in units (same element-wise steps).' }) baseUnits!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Interventional only: background rows.' }) backgroundRows!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Interventional only: how the background rows were chosen.' }) backgroundSource!: string | null;
  @ApiProperty({ type: [FeatureAttributionDto], description: 'One per feature, in the model card’s order.' }) features!: FeatureAttributionDto[];
}

export class NoAttributionDto {
  @ApiProperty({ enum: NO_ATTRIBUTION_CODES }) code!: NoAttributionCode;
  @ApiProperty() message!: string;
}

export class ExplainedRunnerUpDto {
  @ApiProperty() price!: number;
  @ApiProperty() expectedUnits!: number;
  @ApiProperty() expectedProfit!: number;
  @ApiProperty({ enum: ['excluded', 'lowerProfit', 'tieBreak'] }) lostBecause!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The guardrail that excluded it.' }) excludedBy!: string | null;
  @ApiProperty({ description: 'Expected profit of the chosen price minus this one’s.' }) profitShortfall!: number;
  @ApiProperty({ example: 'allowed, but 0.42 less expected profit' }) why!: string;
}

export class UnconstrainedDto {
  @ApiProperty() price!: number;
  @ApiProperty() expectedProfit!: number;
}

export class AppliedOverrideDto {
  @ApiProperty() id!: string;
  @ApiProperty() requestedPrice!: number;
  @ApiProperty() forced!: boolean;
  @ApiProperty() clamped!: boolean;
  @ApiProperty() reason!: string;
}

export class PriceBindingDto {
  @ApiProperty({ enum: DECISION_REASONS }) reason!: DecisionReason;
  @ApiProperty({ nullable: true, type: String, description: 'The guardrail or override that set the price (null: the model’s free choice).' }) boundBy!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Where that limit came from: global / category / sku guardrail, catalog, override.' }) boundLevel!: string | null;
  @ApiProperty({ type: [String], description: 'Guardrails that gave way to stronger ones.' }) relaxed!: string[];
  @ApiProperty({ nullable: true, type: AppliedOverrideDto }) override!: AppliedOverrideDto | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The legacy markdown price (the control and the fallback).' }) legacyPrice!: number | null;
  @ApiProperty({ nullable: true, type: UnconstrainedDto, description: 'The best candidate with guardrails ignored.' }) unconstrained!: UnconstrainedDto | null;
  @ApiProperty({ nullable: true, type: Object, description: 'The guardrails in force (most specific level wins).' }) guardrails!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Number }) lastPrice!: number | null;
  @ApiProperty({ nullable: true, type: Number }) openingPrice!: number | null;
  @ApiProperty({ example: 'the model chose 2.49; the max-change guardrail (category) held it below its free choice 2.99' }) summary!: string;
}

export class DecisionExplanationDto {
  @ApiProperty({ format: 'uuid' }) decisionId!: string;
  @ApiProperty({ format: 'date-time' }) decidedAt!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() skuCode!: string;
  @ApiProperty() price!: number;
  @ApiProperty() listPrice!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() variant!: string;
  @ApiProperty({ nullable: true, type: String }) experimentId!: string | null;
  @ApiProperty({ nullable: true, type: String }) modelVersion!: string | null;
  @ApiProperty({ description: 'Recorded expected units sold at the price (demand capped by stock).' }) expectedUnits!: number;
  @ApiProperty({ description: 'Recorded expected gross margin after waste at the price.' }) expectedProfit!: number;
  @ApiProperty({ nullable: true, type: AttributionDto, description: 'TreeSHAP attributions of the demand prediction at the chosen price; null with `noAttribution` saying why.' })
  attribution!: AttributionDto | null;
  @ApiProperty({ nullable: true, type: NoAttributionDto }) noAttribution!: NoAttributionDto | null;
  @ApiProperty({ type: [ExplainedRunnerUpDto], description: 'The next best candidate prices, best first, and why each lost.' }) runnersUp!: ExplainedRunnerUpDto[];
  @ApiProperty({ type: PriceBindingDto }) binding!: PriceBindingDto;
}
