import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsNumber } from '../../common/is-number';
import { PageQueryDto } from '../../common/dto/page.dto';

export const COST_CATEGORIES = ['cloud', 'development', 'operations'] as const;
export const RECURRENCES = ['monthly', 'one_off'] as const;
export const GROUPINGS = ['month', 'quarter', 'experiment'] as const;
export const SOURCES = ['all', 'measured', 'entered'] as const;
const YEAR_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const PERIOD = /^\d{4}-((0[1-9]|1[0-2])|Q[1-4])$/;
const money = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false } as const;

export class CreateCostEntryDto {
  @ApiProperty({ enum: COST_CATEGORIES })
  @IsIn(COST_CATEGORIES)
  category!: (typeof COST_CATEGORIES)[number];

  @ApiProperty({ required: false, example: 'Fargate, RDS and API Gateway' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;

  @ApiProperty({ enum: RECURRENCES, description: 'monthly: every month from effectiveFrom to effectiveTo (open-ended without it); one_off: once, in effectiveFrom.' })
  @IsIn(RECURRENCES)
  recurrence!: (typeof RECURRENCES)[number];

  @ApiProperty({ required: false, example: 5000, description: 'Per month (monthly) or once (one_off); or give hours × hourlyRate.' })
  @IsOptional()
  @IsNumber(money)
  @Min(0)
  @Max(1e12)
  amount?: number;

  @ApiProperty({ required: false, example: 200 })
  @IsOptional()
  @IsNumber(money)
  @Min(0)
  @Max(1e7)
  hours?: number;

  @ApiProperty({ required: false, example: 50 })
  @IsOptional()
  @IsNumber(money)
  @Min(0)
  @Max(1e6)
  hourlyRate?: number;

  @ApiProperty({ example: '2026-01', pattern: YEAR_MONTH.source })
  @Matches(YEAR_MONTH, { message: 'must be a month YYYY-MM' })
  effectiveFrom!: string;

  @ApiProperty({ required: false, nullable: true, type: String, example: '2026-03', description: 'Monthly entries: the last month (null: open-ended).' })
  @IsOptional()
  @Matches(YEAR_MONTH, { message: 'must be a month YYYY-MM' })
  effectiveTo?: string | null;

  @ApiProperty({ required: false, nullable: true, type: String, format: 'uuid', description: 'Attributes the cost wholly to one experiment; otherwise it is shared.' })
  @IsOptional()
  @IsUUID()
  experimentId?: string | null;
}

export class UpdateCostEntryDto extends PartialType(CreateCostEntryDto) {
  @ApiProperty({ required: false, description: 'Refuse the change (409) unless the entry is still at this version.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class CostEntryListQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: COST_CATEGORIES })
  @IsOptional()
  @IsIn(COST_CATEGORIES)
  category?: (typeof COST_CATEGORIES)[number];
}

export class CostEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: COST_CATEGORIES }) category!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: RECURRENCES }) recurrence!: string;
  @ApiProperty({ nullable: true, type: Number }) amount!: number | null;
  @ApiProperty({ nullable: true, type: Number }) hours!: number | null;
  @ApiProperty({ nullable: true, type: Number }) hourlyRate!: number | null;
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty({ nullable: true, type: String }) effectiveTo!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) experimentId!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() updatedBy!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CreateRoiOutcomeDto {
  @ApiProperty({ example: '2026-Q1', description: 'A month `YYYY-MM` or a quarter `YYYY-Qn` (split into three equal months).' })
  @Matches(PERIOD, { message: 'must be a month YYYY-MM or a quarter YYYY-Qn' })
  period!: string;

  @ApiProperty({ required: false, example: 'Pilot region, measured by finance' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;

  @ApiProperty({ example: 308333.33, description: 'Baseline business metric of the period: gross profit (control gross margin).' })
  @IsNumber(money)
  @Min(-1e13)
  @Max(1e13)
  baseline!: number;

  @ApiProperty({ example: 0.12, description: 'Model-driven relative improvement (treatment / control − 1).' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-1)
  @Max(100)
  relativeLift!: number;

  @ApiProperty({ required: false, example: 1, description: 'From the measured population to the whole business (1 / 0.7 for a 70 % control arm); default 1.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.000001)
  @Max(1e6)
  scaleToBusiness?: number;

  @ApiProperty({ required: false, description: 'Price decisions of the period, for cost per 1,000 decisions.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1e15)
  decisions?: number;

  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptional()
  @IsUUID()
  experimentId?: string;
}

export class RoiOutcomeDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() period!: string;
  @ApiProperty() description!: string;
  @ApiProperty() baseline!: number;
  @ApiProperty() relativeLift!: number;
  @ApiProperty({ nullable: true, type: Number }) scaleToBusiness!: number | null;
  @ApiProperty({ nullable: true, type: Number }) decisions!: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) experimentId!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class RoiReportQueryDto {
  @ApiProperty({ required: false, enum: GROUPINGS, default: 'quarter' })
  @IsOptional()
  @IsIn(GROUPINGS)
  groupBy?: (typeof GROUPINGS)[number];

  @ApiProperty({ required: false, example: '2026-01', description: 'First month (default: the first month with an outcome or a cost).' })
  @IsOptional()
  @Matches(YEAR_MONTH, { message: 'must be a month YYYY-MM' })
  from?: string;

  @ApiProperty({ required: false, example: '2026-03', description: 'Last month (default: the last month with an outcome or a cost; the current month while a monthly cost is open-ended).' })
  @IsOptional()
  @Matches(YEAR_MONTH, { message: 'must be a month YYYY-MM' })
  to?: string;

  @ApiProperty({ required: false, enum: ['json', 'csv'], description: 'Or send `Accept: text/csv`.' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  @ApiProperty({ required: false, enum: SOURCES, default: 'all', description: 'measured: from the experiments; entered: outcomes entered by finance; all: both.' })
  @IsOptional()
  @IsIn(SOURCES)
  source?: (typeof SOURCES)[number];

  @ApiProperty({ required: false, default: 10, description: 'ROI below this percentage is flagged.' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-1000)
  @Max(1000)
  flagBelowPercent?: number;
}

export class RoiReportRowDto {
  @ApiProperty({ description: '`YYYY-MM`, `YYYY-Qn` or the experiment id.' }) period!: string;
  @ApiProperty({ enum: GROUPINGS }) grouping!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() months!: number;
  @ApiProperty() baseline!: number;
  @ApiProperty() gain!: number;
  @ApiProperty() cloudCost!: number;
  @ApiProperty() developmentCost!: number;
  @ApiProperty() operationsCost!: number;
  @ApiProperty() totalCost!: number;
  @ApiProperty() netGain!: number;
  @ApiProperty({ nullable: true, type: Number, description: '(gain − cost) / cost × 100.' }) roiPercent!: number | null;
  @ApiProperty({ nullable: true, type: Number }) gainShareOfBaselinePercent!: number | null;
  @ApiProperty() decisions!: number;
  @ApiProperty({ nullable: true, type: Number }) costPerThousandDecisions!: number | null;
  @ApiProperty({ description: 'ROI below the threshold (10 % by default), or no cost to judge by.' }) flagged!: boolean;
}

export class RoiReportDto {
  @ApiProperty({ enum: GROUPINGS }) groupBy!: string;
  @ApiProperty({ nullable: true, type: String }) from!: string | null;
  @ApiProperty({ nullable: true, type: String }) to!: string | null;
  @ApiProperty() flagBelowPercent!: number;
  @ApiProperty({ type: [RoiReportRowDto] }) rows!: RoiReportRowDto[];
  @ApiProperty({ type: [String], description: 'Periods whose ROI is flagged.' }) flagged!: string[];
}

export class RoiImprovementDto {
  @ApiProperty({ enum: ['relative', 'per_unit'] })
  @IsIn(['relative', 'per_unit'])
  kind!: 'relative' | 'per_unit';

  @ApiProperty({ required: false, example: 0.12, description: 'relative: treatment / control − 1.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  lift?: number;

  @ApiProperty({ required: false, description: 'per_unit: units sold more (or wasted less).' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  units?: number;

  @ApiProperty({ required: false, description: 'per_unit: revenue or cost saved per unit.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  valuePerUnit?: number;
}

export class RoiCostsInputDto {
  @ApiProperty({ example: 3 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1200)
  months!: number;

  @ApiProperty({ required: false, example: 5000 }) @IsOptional() @IsNumber(money) @Min(0) cloudPerMonth?: number;
  @ApiProperty({ required: false, example: 10000 }) @IsOptional() @IsNumber(money) @Min(0) developmentCost?: number;
  @ApiProperty({ required: false }) @IsOptional() @IsNumber(money) @Min(0) developmentHours?: number;
  @ApiProperty({ required: false }) @IsOptional() @IsNumber(money) @Min(0) hourlyRate?: number;
  @ApiProperty({ required: false }) @IsOptional() @IsNumber(money) @Min(0) operationsPerMonth?: number;
}

export class RoiCalculationDto {
  @ApiProperty({ example: 308333.33 })
  @IsNumber(money)
  baseline!: number;

  @ApiProperty({ type: RoiImprovementDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => RoiImprovementDto)
  improvement!: RoiImprovementDto;

  @ApiProperty({ required: false, default: 1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  scaleToBusiness?: number;

  @ApiProperty({ type: RoiCostsInputDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => RoiCostsInputDto)
  costs!: RoiCostsInputDto;

  @ApiProperty({ required: false, default: 10 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  flagBelowPercent?: number;
}

export class RoiResultDto {
  @ApiProperty() baseline!: number;
  @ApiProperty() gain!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'cloud, development, operations, total.' }) costs!: Record<string, number>;
  @ApiProperty() netGain!: number;
  @ApiProperty({ nullable: true, type: Number }) roiPercent!: number | null;
  @ApiProperty({ nullable: true, type: Number }) gainShareOfBaselinePercent!: number | null;
  @ApiProperty() flagBelowPercent!: number;
  @ApiProperty() flagged!: boolean;
}

export class UnitCostInputDto {
  @ApiProperty({ example: 800, description: 'Measured sustained throughput of one task (e.g. `dynaprice bench`).' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  requestsPerSecondPerTask!: number;

  @ApiProperty({ example: 2 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.125) @Max(64) vcpu!: number;
  @ApiProperty({ example: 4 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.25) @Max(512) memoryGb!: number;

  @ApiProperty({ required: false, default: 1, description: 'Average share of that throughput used, 0–1.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.0001)
  @Max(1)
  utilisation?: number;

  @ApiProperty({ required: false, default: 1, description: 'Price decisions per request (basket lines).' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.0001)
  decisionsPerRequest?: number;

  @ApiProperty({ required: false, description: 'USD per vCPU-hour; default: Fargate Linux/x86 us-east-1 list price.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  vcpuHour?: number;

  @ApiProperty({ required: false, description: 'USD per GB-hour; default: Fargate Linux/x86 us-east-1 list price.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  gbHour?: number;
}

export class UnitCostDto {
  @ApiProperty() taskHourCost!: number;
  @ApiProperty() requestsPerTaskHour!: number;
  @ApiProperty() costPerThousandRequests!: number;
  @ApiProperty() costPerThousandDecisions!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) pricing!: Record<string, number>;
}
