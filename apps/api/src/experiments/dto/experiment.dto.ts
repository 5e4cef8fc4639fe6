import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsNumber } from '../../common/is-number';
import { CATEGORY_PATTERN } from '../../catalog/dto/sku.dto';
import { PageQueryDto } from '../../common/dto/page.dto';
import { STORE_ID_PATTERN } from '@dynaprice/catalog';
import { StoreIdField } from '../../catalog/dto/identifiers';

export const ASSIGNMENT_UNITS = ['store', 'store_sku', 'customer'] as const;
export const VARIANT_KINDS = ['legacy', 'model'] as const;
export const GUARDRAIL_METRICS = ['marginPerExposure', 'unitsPerExposure', 'revenuePerExposure', 'wastePerExposure', 'wasteRate'] as const;
export const METRIC_DIRECTIONS = ['higher_is_better', 'lower_is_better'] as const;
export const EXPERIMENT_STATUSES = ['draft', 'running', 'stopped', 'shipped', 'rolled_back'] as const;
export const VARIANT_KEY_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;
const SALT_PATTERN = /^[\x21-\x7e]{1,100}$/;
const MODEL_REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class ExperimentScopeDto {
  @ApiProperty({ required: false, type: [String], example: ['S01', 'S02'], description: 'Omit for every store.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5_000)
  @Matches(STORE_ID_PATTERN, { each: true, message: 'must be store ids' })
  storeIds?: string[];

  @ApiProperty({ required: false, type: [String], example: ['bakery'], description: 'Omit for every category.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @Matches(CATEGORY_PATTERN, { each: true, message: 'must be category slugs' })
  categories?: string[];
}

export class ExperimentVariantDto {
  @ApiProperty({ example: 'model', pattern: VARIANT_KEY_PATTERN.source })
  @Matches(VARIANT_KEY_PATTERN, { message: 'must be 1-32 lower-case letters, digits, - or _, starting with a letter' })
  key!: string;

  @ApiProperty({ example: 0.3, description: 'Share of the covered units, 0–1; the weights sum to 1.' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 })
  @Min(0)
  @Max(1)
  weight!: number;

  @ApiProperty({ enum: VARIANT_KINDS, description: 'legacy: the markdown rule; model: a demand model prices it.' })
  @IsIn(VARIANT_KINDS)
  kind!: (typeof VARIANT_KINDS)[number];

  @ApiProperty({ required: false, example: 'challenger', description: 'Model variants: `champion`, `challenger` (as served at pricing time) or a pinned model version id.' })
  @IsOptional()
  @Matches(MODEL_REFERENCE_PATTERN, { message: 'must be champion, challenger or a model version id' })
  model?: string;
}

export class ExperimentGuardrailDto {
  @ApiProperty({ enum: GUARDRAIL_METRICS, example: 'wasteRate' })
  @IsIn(GUARDRAIL_METRICS)
  metric!: (typeof GUARDRAIL_METRICS)[number];

  @ApiProperty({ example: 0.05, description: 'Relative regression tolerated before the treatment falls back to legacy (0.05 = 5 % worse).' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10)
  tolerance!: number;

  @ApiProperty({ required: false, enum: METRIC_DIRECTIONS, description: 'Defaults to the metric’s natural direction.' })
  @IsOptional()
  @IsIn(METRIC_DIRECTIONS)
  direction?: (typeof METRIC_DIRECTIONS)[number];

  @ApiProperty({
    required: false,
    example: 0.3,
    description: 'τ of the always-valid test: the relative regression the check is tuned to catch (default: the experiment’s sequentialMixingEffect). Larger values catch large regressions on fewer units.',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(10)
  mixingEffect?: number;
}

export class CreateExperimentDto {
  @ApiProperty({ example: 'Model pricing in bakery, Q1' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ required: false, example: 'Model pricing raises gross margin after waste by 10 %.' })
  @IsOptional()
  @IsString()
  @Length(0, 4_000)
  hypothesis?: string;

  @ApiProperty({ required: false, enum: ASSIGNMENT_UNITS, default: 'store', description: 'store (a shelf shows one price), store_sku, or customer (customer or session id).' })
  @IsOptional()
  @IsIn(ASSIGNMENT_UNITS)
  unit?: (typeof ASSIGNMENT_UNITS)[number];

  @ApiProperty({ required: false, description: 'Hash seed (GrowthBook `seed`); defaults to the experiment id. Change it to re-randomise.' })
  @IsOptional()
  @Matches(SALT_PATTERN, { message: 'must be 1-100 printable ASCII characters without spaces' })
  salt?: string;

  @ApiProperty({ required: false, enum: [1, 2], default: 2, description: 'GrowthBook hashing version.' })
  @IsOptional()
  @IsIn([1, 2])
  hashVersion?: 1 | 2;

  @ApiProperty({ required: false, default: 1, description: 'Share of the units in the experiment at all (GrowthBook coverage).' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.0001)
  @Max(1)
  coverage?: number;

  @ApiProperty({ required: false, type: ExperimentScopeDto, description: 'Which stores and categories it prices; one running experiment per store × SKU.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExperimentScopeDto)
  scope?: ExperimentScopeDto;

  @ApiProperty({ type: [ExperimentVariantDto], minItems: 2, maxItems: 10, description: 'In range order: put variants that trade weight next to each other.' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ExperimentVariantDto)
  variants!: ExperimentVariantDto[];

  @ApiProperty({ required: false, description: 'The variant the others are compared with; defaults to the first legacy variant, else the first.' })
  @IsOptional()
  @Matches(VARIANT_KEY_PATTERN, { message: 'must be a variant key' })
  controlVariant?: string;

  @ApiProperty({ required: false, type: [ExperimentGuardrailDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ExperimentGuardrailDto)
  guardrails?: ExperimentGuardrailDto[];

  @ApiProperty({ required: false, default: 0.05, description: 'τ of the primary always-valid sequential test, as a relative lift: the smallest lift worth detecting.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(10)
  sequentialMixingEffect?: number;

  @ApiProperty({ required: false, default: 14, description: 'Days before the start whose margin is the CUPED covariate; 0 turns CUPED off.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  prePeriodDays?: number;

  @ApiProperty({ required: false, format: 'date-time', description: 'Planned end: the experiment stops by itself then.' })
  @IsOptional()
  @IsDateString({ strict: true, strictSeparator: true })
  endsAt?: string;
}

export class UpdateExperimentDto extends PartialType(CreateExperimentDto) {
  @ApiProperty({ example: 'Raise model share after a clean first week', description: 'Why: recorded with the new version.' })
  @IsString()
  @Length(3, 1_000)
  reason!: string;

  @ApiProperty({ required: false, description: 'Refuse the change (409) unless the experiment is still at this version.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class ExperimentActionDto {
  @ApiProperty({ example: 'Guardrails green for 14 days', description: 'Why: recorded with who and when.' })
  @IsString()
  @Length(3, 1_000)
  reason!: string;
}

export class ShipExperimentDto extends ExperimentActionDto {
  @ApiProperty({ example: 'model', description: 'The variant that prices the whole scope from now on.' })
  @Matches(VARIANT_KEY_PATTERN, { message: 'must be a variant key' })
  variant!: string;
}

export class ExperimentListQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: EXPERIMENT_STATUSES })
  @IsOptional()
  @IsIn(EXPERIMENT_STATUSES)
  status?: (typeof EXPERIMENT_STATUSES)[number];
}

export class AssignmentQueryDto {
  @StoreIdField({ required: false })
  storeId?: string;

  @ApiProperty({ required: false, example: 'PRD-001' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be a SKU code' })
  skuCode?: string;

  @ApiProperty({
    required: false,
    description: 'Customer experiments: the HMAC of the customer or session id (what the price path assigns and the request log stores); raw ids never travel in URLs.',
  })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be the 64-character hex HMAC of the customer or session id' })
  customerHash?: string;
}

export class ExperimentFallbackDto {
  @ApiProperty() variant!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: [String] }) metrics!: string[];
  @ApiProperty() reason!: string;
}

export class ExperimentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() hypothesis!: string;
  @ApiProperty({ enum: ASSIGNMENT_UNITS }) unit!: string;
  @ApiProperty() salt!: string;
  @ApiProperty({ enum: [1, 2] }) hashVersion!: number;
  @ApiProperty() coverage!: number;
  @ApiProperty({ type: ExperimentScopeDto }) scope!: ExperimentScopeDto;
  @ApiProperty({ type: [ExperimentVariantDto] }) variants!: ExperimentVariantDto[];
  @ApiProperty() controlVariant!: string;
  @ApiProperty({ type: [ExperimentGuardrailDto] }) guardrails!: ExperimentGuardrailDto[];
  @ApiProperty() sequentialMixingEffect!: number;
  @ApiProperty() prePeriodDays!: number;
  @ApiProperty({ enum: EXPERIMENT_STATUSES }) status!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) endsAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) stoppedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) shippedVariant!: string | null;
  @ApiProperty({ type: [ExperimentFallbackDto], description: 'Treatments that a guardrail sent back to legacy pricing: when and why.' }) fallbacks!: ExperimentFallbackDto[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) guardrailsCheckedAt!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ExperimentHistoryEntryDto {
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['create', 'update', 'start', 'stop', 'ship', 'rollback', 'fallback', 'end'] }) action!: string;
  @ApiProperty() actor!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: [String] }) changes!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The experiment after the change.' }) snapshot!: Record<string, unknown>;
}

export class AssignmentDto {
  @ApiProperty({ format: 'uuid' }) experimentId!: string;
  @ApiProperty({ enum: ASSIGNMENT_UNITS }) unit!: string;
  @ApiProperty({ description: 'The string hashed with the salt (for customers: the HMAC of their id).' }) unitId!: string;
  @ApiProperty({ description: 'GrowthBook hash of salt + unit id, in [0, 1).' }) hash!: number;
  @ApiProperty({ nullable: true, type: String, description: 'null: outside the coverage.' }) variant!: string | null;
  @ApiProperty({ description: 'Whether the store × SKU lies in the scope (store × SKU units and stores only).' }) inScope!: boolean;
}
