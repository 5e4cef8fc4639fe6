import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested, isIn, isString, length, matches, max, min } from 'class-validator';
import { IsNumber, isNumber } from '../../common/is-number';
import { SKU_CODE_PATTERN, STORE_ID_PATTERN } from '@dynaprice/catalog';
import { SkuCodeField, StoreIdField } from '../../catalog/dto/identifiers';

export const MAX_BASKET_LINES = 500;
export const CHANNELS = ['store', 'online', 'esl', 'app'] as const;
export type Channel = (typeof CHANNELS)[number];

const SEGMENT_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const QUANTITY_FORMAT = { maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false };
const QUANTITY_MIN = 0.001;
const QUANTITY_MAX = 100_000;
const OPAQUE_ID_LENGTH = [1, 128] as const;

const LINE_KEYS = new Set(['skuCode', 'quantity']);
const BASKET_KEYS = new Set(['storeId', 'items', 'customerId', 'sessionId', 'segment', 'channel']);

/** `@IsOptional` skips the rules for null as well as for a missing value. */
function absent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function plainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

export class BasketLineDto {
  @SkuCodeField()
  skuCode!: string;

  @ApiProperty({ required: false, example: 2, description: 'Units in the basket; recorded, never a pricing input.' })
  @IsOptional()
  @IsNumber(QUANTITY_FORMAT)
  @Min(QUANTITY_MIN)
  @Max(QUANTITY_MAX)
  quantity?: number;

  /** The decorators' rules, hand-checked (see AcceptingDto): the line as class-transformer builds it, or null. */
  static accept(value: unknown): BasketLineDto | null {
    if (!plainObject(value) || !onlyKeys(value, LINE_KEYS)) return null;
    const { skuCode, quantity } = value;
    if (typeof skuCode !== 'string' || !matches(skuCode, SKU_CODE_PATTERN)) return null;
    if (!absent(quantity) && !(isNumber(quantity, QUANTITY_FORMAT) && min(quantity, QUANTITY_MIN) && max(quantity, QUANTITY_MAX))) return null;
    return Object.assign(new BasketLineDto(), value);
  }
}

export class PriceBasketRequestDto {
  @StoreIdField()
  storeId!: string;

  @ApiProperty({ type: [BasketLineDto], minItems: 1, maxItems: MAX_BASKET_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BASKET_LINES)
  // Without it a line given as an array (`[[]]`) passed: ValidateNested validates an array's elements.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => BasketLineDto)
  items!: BasketLineDto[];

  @ApiProperty({ required: false, description: 'Loyalty or account id. Stored only as an HMAC; never a pricing input.' })
  @IsOptional()
  @IsString()
  @Length(...OPAQUE_ID_LENGTH)
  customerId?: string;

  @ApiProperty({ required: false, description: 'Checkout or browsing session; the assignment unit of session-level experiments. Stored only as an HMAC.' })
  @IsOptional()
  @IsString()
  @Length(...OPAQUE_ID_LENGTH)
  sessionId?: string;

  @ApiProperty({ required: false, example: 'gold', description: 'Customer segment, recorded for fairness audits; never a pricing input.' })
  @IsOptional()
  @Matches(SEGMENT_PATTERN, { message: 'must be 1-64 letters, digits, - or _' })
  segment?: string;

  @ApiProperty({ required: false, enum: CHANNELS, default: 'store' })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  /**
   * The decorators' rules, hand-checked for the POS hot path (see AcceptingDto): the basket as
   * class-transformer builds it, or null for class-validator to explain.
   */
  static accept(value: unknown): PriceBasketRequestDto | null {
    if (!plainObject(value) || !onlyKeys(value, BASKET_KEYS)) return null;
    const { storeId, items, customerId, sessionId, segment, channel } = value;
    if (typeof storeId !== 'string' || !matches(storeId, STORE_ID_PATTERN)) return null;
    if (!Array.isArray(items) || items.length < 1 || items.length > MAX_BASKET_LINES) return null;
    for (const id of [customerId, sessionId]) {
      if (!absent(id) && !(isString(id) && length(id, ...OPAQUE_ID_LENGTH))) return null;
    }
    if (!absent(segment) && !(typeof segment === 'string' && matches(segment, SEGMENT_PATTERN))) return null;
    if (!absent(channel) && !isIn(channel, CHANNELS)) return null;
    const lines: BasketLineDto[] = [];
    for (const item of items) {
      const line = BasketLineDto.accept(item);
      if (line === null) return null;
      lines.push(line);
    }
    return Object.assign(new PriceBasketRequestDto(), value, { items: lines });
  }
}
