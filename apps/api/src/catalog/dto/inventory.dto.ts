import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsNumber } from '../../common/is-number';
import { PageQueryDto } from '../../common/dto/page.dto';
import { CATEGORY_PATTERN, MAX_BULK_ROWS } from './sku.dto';
import { SkuCodeField, StoreIdField } from './identifiers';

const LOT_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const QUANTITY = { maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false } as const;

export class UpsertInventoryLotDto {
  @StoreIdField()
  storeId!: string;

  @SkuCodeField()
  skuCode!: string;

  @ApiProperty({ example: 'L2026-11-26-001', description: "The retailer's lot reference; with store and SKU, the key of the nightly feed." })
  @Matches(LOT_REF_PATTERN, { message: 'must be 1-64 letters, digits or . _ : / -' })
  lotRef!: string;

  @ApiProperty({ example: 24, minimum: 0 })
  @IsNumber(QUANTITY)
  @Min(0)
  @Max(10_000_000)
  quantity!: number;

  @ApiProperty({ example: '2026-11-26T05:00:00Z', format: 'date-time' })
  @IsDateString({ strict: true, strictSeparator: true })
  receivedAt!: string;

  @ApiProperty({ example: '2026-11-30T00:00:00Z', format: 'date-time' })
  @IsDateString({ strict: true, strictSeparator: true })
  expiresAt!: string;
}

export class UpdateInventoryLotDto extends PartialType(PickType(UpsertInventoryLotDto, ['quantity', 'receivedAt', 'expiresAt'] as const)) {}

export class BulkInventoryDto {
  @ApiProperty({ type: [UpsertInventoryLotDto], minItems: 1, maxItems: MAX_BULK_ROWS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_ROWS)
  @ValidateNested({ each: true })
  @Type(() => UpsertInventoryLotDto)
  items!: UpsertInventoryLotDto[];
}

export class InventoryLotDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() skuCode!: string;
  @ApiProperty() lotRef!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ description: 'Whole days left (a started day counts), 0 once expired.' }) daysToExpiry!: number;
  @ApiProperty() updatedAt!: string;
}

export class InventoryListQueryDto extends PageQueryDto {
  @StoreIdField({ required: false })
  storeId?: string;

  @SkuCodeField({ required: false })
  skuCode?: string;

  @ApiProperty({ required: false })
  @IsOptional()
  @Matches(CATEGORY_PATTERN, { message: 'must be a category slug' })
  category?: string;

  @ApiProperty({ required: false, description: 'Only lots expiring within this many days from now (expired lots excluded).', minimum: 0, maximum: 365 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(365)
  expiringWithinDays?: number;
}
