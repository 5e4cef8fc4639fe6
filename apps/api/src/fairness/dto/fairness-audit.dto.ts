import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsNumber } from '../../common/is-number';
import { ATTRIBUTE_SOURCES, STRATA_KEYS, type AttributeSource, type StrataKey } from '../fairness-observations';

/** An attribute name: also a Prometheus label value, so a short identifier. */
export const ATTRIBUTE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const AUDIT_STATUSES = ['pass', 'fail', 'insufficient-data'] as const;
export const AUDIT_TRIGGERS = ['manual', 'schedule'] as const;

// ---------------------------------------------------------------------------------------------
// Requests

export class AuditAttributeDto {
  @ApiProperty({ example: 'incomeBand', description: 'A store attribute key (source store) or the name given to the customer segment (source segment).' })
  @Matches(ATTRIBUTE_NAME_PATTERN, { message: 'must be 1-64 letters, digits or _, starting with a letter' })
  name!: string;

  @ApiProperty({ enum: ATTRIBUTE_SOURCES, description: 'store: stores.attributes[name]; segment: the segment of price requests and sales.' })
  @IsIn(ATTRIBUTE_SOURCES)
  source!: AttributeSource;

  @ApiProperty({
    required: false,
    type: [String],
    enum: STRATA_KEYS,
    description: 'Legitimate strata held fixed in the stratified comparison. Default: skuCode × expiryBand for store attributes, storeId × skuCode × expiryBand for segments.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(STRATA_KEYS, { each: true })
  strataKeys?: StrataKey[];
}

export class AuditThresholdsDto {
  @ApiProperty({ required: false, default: 0.02, description: 'Fail when the stratified relative gap (max − min) / min exceeds this.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10)
  maxStratifiedGap?: number;

  @ApiProperty({ required: false, default: 0.98, description: 'Fail when the stratified min / max ratio is below this.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  minStratifiedRatio?: number;

  @ApiProperty({ required: false, description: 'Fail when the raw relative gap exceeds this (default: reported, not checked — mix moves it legitimately).' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10)
  maxRawGap?: number;

  @ApiProperty({ required: false, description: 'Fail when two segments’ KS statistic exceeds this with p < ksAlpha (default: reported, not checked).' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  maxKsStatistic?: number;

  @ApiProperty({ required: false, default: 0.01 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.000001)
  @Max(0.5)
  ksAlpha?: number;

  @ApiProperty({ required: false, default: 30, description: 'Fewer observations in a segment: insufficient data.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minObservationsPerSegment?: number;
}

/** Audit settings shared by on-demand runs and the schedule. */
export class AuditSettingsDto {
  @ApiProperty({ required: false, type: [AuditAttributeDto], description: 'Default: incomeBand (store) and loyaltyTier (segment).' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AuditAttributeDto)
  attributes?: AuditAttributeDto[];

  @ApiProperty({ required: false, type: AuditThresholdsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditThresholdsDto)
  thresholds?: AuditThresholdsDto;

  @ApiProperty({ required: false, default: 1000, description: 'Bootstrap resamples of the confidence intervals.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  bootstrapResamples?: number;

  @ApiProperty({ required: false, default: 100, description: 'Real decisions re-priced with the segment changed; 0 skips the counterfactual check.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_000)
  counterfactualSample?: number;
}

export class RunFairnessAuditDto extends AuditSettingsDto {
  @ApiProperty({ required: false, format: 'date-time', description: 'Default: 7 days before `to`.' })
  @IsOptional()
  @IsDateString({ strict: true, strictSeparator: true })
  from?: string;

  @ApiProperty({ required: false, format: 'date-time', description: 'Default: now (business time).' })
  @IsOptional()
  @IsDateString({ strict: true, strictSeparator: true })
  to?: string;
}

export class UpdateFairnessScheduleDto extends AuditSettingsDto {
  @ApiProperty({ required: false })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiProperty({ required: false, example: '03:00', description: 'Time of the daily run, HH:MM UTC (business time).' })
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):([0-5]\d)$/, { message: 'must be HH:MM' })
  at?: string;

  @ApiProperty({ required: false, minimum: 1, maximum: 92, description: 'Days of data each scheduled audit covers, ending at the run.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(92)
  windowDays?: number;
}

export class AuditListQueryDto {
  @ApiProperty({ required: false, minimum: 1, maximum: 200, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 20;

  @ApiProperty({ required: false, format: 'uuid', description: 'The last id of the previous page (newest first).' })
  @IsOptional()
  @IsUUID()
  before?: string;
}

// ---------------------------------------------------------------------------------------------
// Responses (the @dynaprice/fairness result shapes)

export class IntervalDto {
  @ApiProperty() low!: number;
  @ApiProperty() high!: number;
}

export class SegmentSummaryDto {
  @ApiProperty() segment!: string;
  @ApiProperty() count!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Mean price index (price / list price); null when count is 0.' }) meanIndex!: number | null;
  @ApiProperty({ nullable: true, type: IntervalDto, description: 'Bootstrap confidence interval.' }) ci!: IntervalDto | null;
  @ApiProperty() eligible!: boolean;
}

export class GapSummaryDto {
  @ApiProperty() maxSegment!: string;
  @ApiProperty() minSegment!: string;
  @ApiProperty({ description: 'max − min, index points.' }) gap!: number;
  @ApiProperty({ nullable: true, type: IntervalDto }) gapCi!: IntervalDto | null;
  @ApiProperty({ description: '(max − min) / min.' }) relativeGap!: number;
  @ApiProperty({ nullable: true, type: IntervalDto }) relativeGapCi!: IntervalDto | null;
  @ApiProperty({ description: 'min / max.' }) ratio!: number;
  @ApiProperty({ nullable: true, type: IntervalDto }) ratioCi!: IntervalDto | null;
}

export class RawComparisonDto {
  @ApiProperty({ type: [SegmentSummaryDto] }) segments!: SegmentSummaryDto[];
  @ApiProperty({ nullable: true, type: GapSummaryDto }) gap!: GapSummaryDto | null;
}

export class StratifiedComparisonDto extends RawComparisonDto {
  @ApiProperty({ type: [String] }) strataKeys!: string[];
  @ApiProperty() strata!: number;
  @ApiProperty() commonStrata!: number;
  @ApiProperty() coverage!: number;
}

export class DistributionComparisonDto {
  @ApiProperty() segmentA!: string;
  @ApiProperty() segmentB!: string;
  @ApiProperty({ description: 'Kolmogorov–Smirnov D.' }) statistic!: number;
  @ApiProperty() pValue!: number;
  @ApiProperty() countA!: number;
  @ApiProperty() countB!: number;
}

export class AuditReasonDto {
  @ApiProperty({ example: 'stratified-gap' }) code!: string;
  @ApiProperty() message!: string;
}

export class AttributeAuditDto {
  @ApiProperty() attribute!: string;
  @ApiProperty({ enum: AUDIT_STATUSES }) status!: string;
  @ApiProperty({ type: [AuditReasonDto] }) reasons!: AuditReasonDto[];
  @ApiProperty() observations!: number;
  @ApiProperty({ type: RawComparisonDto }) raw!: RawComparisonDto;
  @ApiProperty({ type: StratifiedComparisonDto }) stratified!: StratifiedComparisonDto;
  @ApiProperty({ type: [DistributionComparisonDto] }) distributions!: DistributionComparisonDto[];
}

export class PriceSourceAuditDto {
  @ApiProperty({ enum: AUDIT_STATUSES }) status!: string;
  @ApiProperty({ type: [AuditReasonDto] }) reasons!: AuditReasonDto[];
  @ApiProperty() observations!: number;
  @ApiProperty({ description: 'Where the observations came from (rows read, rows skipped for a missing list price).' }) rows!: Record<string, number>;
  @ApiProperty({ type: [AttributeAuditDto] }) attributes!: AttributeAuditDto[];
}

export class MovedPriceDto {
  @ApiProperty() decisionId!: string;
  @ApiProperty() attribute!: string;
  @ApiProperty({ nullable: true, type: String }) from!: string | null;
  @ApiProperty() to!: string;
  @ApiProperty() basePrice!: number;
  @ApiProperty() counterfactualPrice!: number;
}

export class CounterfactualResultDto {
  @ApiProperty({ enum: AUDIT_STATUSES }) status!: string;
  @ApiProperty({ type: [AuditReasonDto] }) reasons!: AuditReasonDto[];
  @ApiProperty({ description: 'Decisions re-priced.' }) decisions!: number;
  @ApiProperty({ description: 'Counterfactual prices computed (baselines excluded).' }) repricings!: number;
  @ApiProperty({ type: [String], description: 'Attributes varied (segment attributes; store attributes are no input of the engine).' }) attributes!: string[];
  @ApiProperty({ type: Object, description: 'Values tried per attribute.' }) values!: Record<string, string[]>;
  @ApiProperty({ description: 'Sampled decisions left out because their store or SKU no longer exists.' }) skipped!: number;
  @ApiProperty({ format: 'date-time', description: 'The instant every re-pricing was computed at.' }) pricedAt!: string;
  @ApiProperty({ type: [MovedPriceDto], description: 'Prices that moved (at most 100 listed).' }) moved!: MovedPriceDto[];
  @ApiProperty() movedCount!: number;
  @ApiProperty({ description: 'Re-pricings that stayed the legacy fallback (model over its time budget) after retries.' }) fallbacks!: number;
}

export class AuditTableRowDto {
  @ApiProperty({ enum: ['offered', 'paid', 'counterfactual'] }) source!: string;
  @ApiProperty() attribute!: string;
  @ApiProperty({ enum: AUDIT_STATUSES }) status!: string;
  @ApiProperty() observations!: number;
  @ApiProperty({ type: [String], description: 'Segments with their stratified mean index, e.g. gold=0.9512 (n=340).' }) segments!: string[];
  @ApiProperty({ nullable: true, type: Number }) rawGap!: number | null;
  @ApiProperty({ nullable: true, type: Number }) stratifiedGap!: number | null;
  @ApiProperty({ nullable: true, type: IntervalDto }) stratifiedGapCi!: IntervalDto | null;
  @ApiProperty({ nullable: true, type: Number }) ratio!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Largest pairwise KS statistic.' }) maxKs!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Counterfactual rows: prices that moved.' }) moved!: number | null;
  @ApiProperty() note!: string;
}

export class AuditInputsDto {
  @ApiProperty({ type: [AuditAttributeDto] }) attributes!: AuditAttributeDto[];
  @ApiProperty({ type: Object }) thresholds!: Record<string, number | null>;
  @ApiProperty() bootstrapResamples!: number;
  @ApiProperty() counterfactualSample!: number;
}

export class FairnessAuditSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: AUDIT_TRIGGERS }) trigger!: string;
  @ApiProperty({ enum: AUDIT_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time' }) finishedAt!: string;
  @ApiProperty({ type: [AuditReasonDto], description: 'Why it failed or could not judge, each prefixed with its source and attribute.' }) reasons!: AuditReasonDto[];
  @ApiProperty({ type: [AuditTableRowDto] }) table!: AuditTableRowDto[];
}

export class FairnessAuditDto extends FairnessAuditSummaryDto {
  @ApiProperty({ type: AuditInputsDto }) inputs!: AuditInputsDto;
  @ApiProperty({ type: PriceSourceAuditDto, description: 'Offered prices: store attributes over every decision (shelf prices), segments over the decisions served to requests.' })
  offered!: PriceSourceAuditDto;
  @ApiProperty({ type: PriceSourceAuditDto, description: 'Paid prices: reported sales.' }) paid!: PriceSourceAuditDto;
  @ApiProperty({ nullable: true, type: CounterfactualResultDto, description: 'Null when skipped (counterfactualSample 0).' }) counterfactual!: CounterfactualResultDto | null;
}

export class FairnessAuditPageDto {
  @ApiProperty({ type: [FairnessAuditSummaryDto] }) items!: FairnessAuditSummaryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class FairnessScheduleDto {
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ example: '03:00' }) at!: string;
  @ApiProperty() windowDays!: number;
  @ApiProperty({ type: AuditInputsDto }) settings!: AuditInputsDto;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Next run (business time), null when disabled.' }) nextRunAt!: string | null;
  @ApiProperty() updatedBy!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) updatedAt!: string | null;
}
