import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { IsNumber } from '../../common/is-number';
import type { GuardrailScope } from '../entities/guardrail.entity';

export const GUARDRAIL_SCOPES: readonly GuardrailScope[] = ['global', 'category', 'sku'];
const MONEY = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false } as const;
const PERCENT = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false } as const;

/** One level of guardrails. A field left out (or null) inherits from the level above. */
export class CreateGuardrailDto {
  @ApiProperty({ enum: GUARDRAIL_SCOPES, example: 'category' })
  @IsIn(GUARDRAIL_SCOPES)
  scope!: GuardrailScope;

  @ApiProperty({ required: false, example: 'dairy', description: "The category or SKU code; omitted for scope 'global'." })
  @ValidateIf((dto: CreateGuardrailDto) => dto.scope !== 'global' || dto.scopeKey !== undefined)
  @IsString()
  @Length(1, 64)
  scopeKey?: string;

  @ApiProperty({ type: Number, required: false, nullable: true, example: 15, description: 'Minimum margin over unit cost, % of price.' })
  @IsOptional()
  @IsNumber(PERCENT)
  @Min(0)
  @Max(95)
  minMarginPct?: number | null;

  @ApiProperty({ type: Number, required: false, nullable: true, example: 20, description: 'Largest move against the last decided price in one day, %.' })
  @IsOptional()
  @IsNumber(PERCENT)
  @Min(0.01)
  @Max(100)
  maxChangePct?: number | null;

  @ApiProperty({ type: Number, required: false, nullable: true, example: 0.99 })
  @IsOptional()
  @IsNumber(MONEY)
  @Min(0.01)
  @Max(1_000_000)
  priceFloor?: number | null;

  @ApiProperty({ type: Number, required: false, nullable: true, example: 9.99 })
  @IsOptional()
  @IsNumber(MONEY)
  @Min(0.01)
  @Max(1_000_000)
  priceCeiling?: number | null;

  @ApiProperty({ required: false, nullable: true, type: [String], example: ['.49', '.99'], description: 'Allowed cents endings; empty list = any.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^\.\d{2}$/, { each: true, message: 'each ending must look like .49 or .99' })
  priceEndings?: string[] | null;

  @ApiProperty({ type: Boolean, required: false, nullable: true, description: 'Keep the last decided price.' })
  @IsOptional()
  @IsBoolean()
  frozen?: boolean | null;
}

export class UpdateGuardrailDto extends PartialType(OmitType(CreateGuardrailDto, ['scope', 'scopeKey'] as const)) {}

export class GuardrailDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: GUARDRAIL_SCOPES }) scope!: GuardrailScope;
  @ApiProperty({ description: "'' for global" }) scopeKey!: string;
  @ApiProperty({ nullable: true, type: Number }) minMarginPct!: number | null;
  @ApiProperty({ nullable: true, type: Number }) maxChangePct!: number | null;
  @ApiProperty({ nullable: true, type: Number }) priceFloor!: number | null;
  @ApiProperty({ nullable: true, type: Number }) priceCeiling!: number | null;
  @ApiProperty({ nullable: true, type: [String] }) priceEndings!: string[] | null;
  @ApiProperty({ nullable: true, type: Boolean }) frozen!: boolean | null;
  @ApiProperty() updatedBy!: string;
  @ApiProperty() updatedAt!: string;
}

export class GuardrailListQueryDto {
  @ApiProperty({ required: false, enum: GUARDRAIL_SCOPES })
  @IsOptional()
  @IsIn(GUARDRAIL_SCOPES)
  scope?: GuardrailScope;
}
