import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsIn, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsNumber } from '../../common/is-number';
import { SkuCodeField, StoreIdField } from '../../catalog/dto/identifiers';

/** Events per `POST /v1/sales` or `/v1/waste` call. */
export const MAX_EVENTS_PER_BATCH = 10_000;
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;
export const WASTE_REASONS = ['expired', 'damaged', 'recalled', 'other'] as const;

export class SaleEventDto {
  @ApiProperty({ example: 'pos-17:receipt-88213:line-2', description: 'Unique per event; a retry sends the same key and time, and nothing is stored twice.' })
  @Matches(IDEMPOTENCY_KEY_PATTERN, { message: 'must be 1-128 printable ASCII characters without spaces' })
  idempotencyKey!: string;

  @StoreIdField()
  storeId!: string;

  @SkuCodeField()
  skuCode!: string;

  @ApiProperty({ example: 2 })
  @IsNumber({ maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(100_000)
  quantity!: number;

  @ApiProperty({ example: 2.49, description: 'Price charged per unit.' })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  unitPrice!: number;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:15:00Z', description: 'Not in the future (5 minutes of clock skew allowed), at most 400 days back.' })
  @IsDateString({ strict: true, strictSeparator: true })
  soldAt!: string;

  @ApiProperty({ required: false, format: 'uuid', description: 'The price decision charged; when omitted, the decision in force for the store × SKU at soldAt is recorded.' })
  @IsOptional()
  @IsUUID()
  decisionId?: string;

  @ApiProperty({ required: false, description: 'Loyalty or account id: stored only as an HMAC.' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  customerId?: string;

  @ApiProperty({ required: false, example: 'gold' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be 1-64 letters, digits, - or _' })
  segment?: string;
}

export class WasteEventDto {
  @ApiProperty({ example: 'store-S01:writeoff-2026-03-02:PRD-001', description: 'Unique per event; a retry sends the same key and time.' })
  @Matches(IDEMPOTENCY_KEY_PATTERN, { message: 'must be 1-128 printable ASCII characters without spaces' })
  idempotencyKey!: string;

  @StoreIdField()
  storeId!: string;

  @SkuCodeField()
  skuCode!: string;

  @ApiProperty({ example: 3 })
  @IsNumber({ maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(100_000)
  quantity!: number;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T21:00:00Z', description: 'Not in the future (5 minutes of clock skew allowed), at most 400 days back.' })
  @IsDateString({ strict: true, strictSeparator: true })
  wastedAt!: string;

  @ApiProperty({ required: false, description: 'Cost per unit written off; defaults to the SKU’s unit cost.' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  unitCost?: number;

  @ApiProperty({ required: false, enum: WASTE_REASONS, default: 'expired' })
  @IsOptional()
  @IsIn(WASTE_REASONS)
  reason?: (typeof WASTE_REASONS)[number];
}

export class SalesBatchDto {
  @ApiProperty({ type: [SaleEventDto], minItems: 1, maxItems: MAX_EVENTS_PER_BATCH })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EVENTS_PER_BATCH)
  @ValidateNested({ each: true })
  @Type(() => SaleEventDto)
  events!: SaleEventDto[];
}

export class WasteBatchDto {
  @ApiProperty({ type: [WasteEventDto], minItems: 1, maxItems: MAX_EVENTS_PER_BATCH })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EVENTS_PER_BATCH)
  @ValidateNested({ each: true })
  @Type(() => WasteEventDto)
  events!: WasteEventDto[];
}

export class IngestResultDto {
  @ApiProperty({ description: 'Events in the batch.' }) received!: number;
  @ApiProperty({ description: 'Events stored by this call.' }) created!: number;
  @ApiProperty({ description: 'Events already stored (a retry), or repeated within the batch: not stored again.' }) duplicates!: number;
  @ApiProperty({ required: false, description: 'Sales: decision ids filled in from the decision in force.' }) decisionsLinked?: number;
}
