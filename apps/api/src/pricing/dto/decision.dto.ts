import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { DECISION_REASONS, type DecisionReason } from './price-basket.response.dto';
import { SkuCodeField, StoreIdField } from '../../catalog/dto/identifiers';

export class RunnerUpDto {
  @ApiProperty() price!: number;
  @ApiProperty() expectedUnits!: number;
  @ApiProperty() expectedProfit!: number;
  @ApiProperty({ enum: ['excluded', 'lowerProfit', 'tieBreak'] }) lostBecause!: string;
  @ApiProperty({ nullable: true, type: String }) excludedBy!: string | null;
}

export class DecisionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) decidedAt!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() skuCode!: string;
  @ApiProperty() price!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() listPrice!: number;
  @ApiProperty({ description: "The retailer's legacy markdown price for the same stock." }) legacyPrice!: number;
  @ApiProperty() unitCost!: number;
  @ApiProperty() variant!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) experimentId!: string | null;
  @ApiProperty({ nullable: true, type: String }) modelVersion!: string | null;
  @ApiProperty({ enum: DECISION_REASONS }) reason!: DecisionReason;
  @ApiProperty({ nullable: true, type: String }) boundBy!: string | null;
  @ApiProperty() expectedUnits!: number;
  @ApiProperty() expectedMargin!: number;
  @ApiProperty({ format: 'date-time' }) validUntil!: string;
  @ApiProperty({ example: '2026-11-26' }) storeDay!: string;
  @ApiProperty() daysToExpiry!: number;
  @ApiProperty() stockUnits!: number;
  @ApiProperty({ nullable: true, type: [Number], description: 'The demand model input at the chosen price, in the model card feature order.' }) features!: number[] | null;
  @ApiProperty({ type: [RunnerUpDto] }) runnersUp!: RunnerUpDto[];
  @ApiProperty({ type: [String], description: 'Guardrails that could not all hold and gave way, strongest first.' }) relaxed!: string[];
  @ApiProperty() requestId!: string;
  @ApiProperty() caller!: string;
}

export class DecisionListQueryDto {
  @StoreIdField({ required: false })
  storeId?: string;

  @SkuCodeField({ required: false })
  skuCode?: string;

  @ApiProperty({ required: false, enum: DECISION_REASONS })
  @IsOptional()
  @IsIn(DECISION_REASONS)
  reason?: DecisionReason;

  @ApiProperty({ required: false, description: 'Experiment variant name.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be a variant name' })
  variant?: string;

  @ApiProperty({ required: false, format: 'date-time', description: 'Default: 24 hours before `to`.' })
  @IsOptional()
  @IsDateString({ strict: true, strictSeparator: true })
  from?: string;

  @ApiProperty({ required: false, format: 'date-time', description: 'Default: now.' })
  @IsOptional()
  @IsDateString({ strict: true, strictSeparator: true })
  to?: string;

  @ApiProperty({ required: false, minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @ApiProperty({ required: false, format: 'uuid', description: 'The last id of the previous page (newest first).' })
  @IsOptional()
  @IsUUID()
  before?: string;
}

export class DecisionPageDto {
  @ApiProperty({ type: [DecisionDto] }) items!: DecisionDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `before` for the next page.' }) nextCursor!: string | null;
}

export class RepriceQueryDto {
  @ApiProperty({ required: false, minimum: 1, maximum: 500, default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 500;

  @SkuCodeField({ required: false, description: 'SKU code after which to continue (the previous page\'s nextCursor).' })
  after?: string;
}
