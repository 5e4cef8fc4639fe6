import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsNumber } from '../../common/is-number';
import { SKU_CODE_PATTERN } from '../../catalog/dto/sku.dto';
import { STORE_ID_PATTERN } from '../../catalog/dto/store.dto';

export const MAX_BASKET_LINES = 500;
export const CHANNELS = ['store', 'online', 'esl', 'app'] as const;
export type Channel = (typeof CHANNELS)[number];

export class BasketLineDto {
  @ApiProperty({ example: 'PRD-001' })
  @Matches(SKU_CODE_PATTERN, { message: 'must be a SKU code' })
  skuCode!: string;

  @ApiProperty({ required: false, example: 2, description: 'Units in the basket; recorded, never a pricing input.' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(100_000)
  quantity?: number;
}

export class PriceBasketRequestDto {
  @ApiProperty({ example: 'S01' })
  @Matches(STORE_ID_PATTERN, { message: 'must be a store id' })
  storeId!: string;

  @ApiProperty({ type: [BasketLineDto], minItems: 1, maxItems: MAX_BASKET_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BASKET_LINES)
  @ValidateNested({ each: true })
  @Type(() => BasketLineDto)
  items!: BasketLineDto[];

  @ApiProperty({ required: false, description: 'Loyalty or account id. Stored only as an HMAC; never a pricing input.' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  customerId?: string;

  @ApiProperty({ required: false, description: 'Checkout or browsing session; the assignment unit of session-level experiments. Stored only as an HMAC.' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  sessionId?: string;

  @ApiProperty({ required: false, example: 'gold', description: 'Customer segment, recorded for fairness audits; never a pricing input.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be 1-64 letters, digits, - or _' })
  segment?: string;

  @ApiProperty({ required: false, enum: CHANNELS, default: 'store' })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;
}
