import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsNumber } from '../../common/is-number';
import { PageQueryDto } from '../../common/dto/page.dto';
import { SkuCodeField } from './identifiers';

export const CATEGORY_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;
export const MAX_BULK_ROWS = 50_000;
const MONEY = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false } as const;
const COST = { maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false } as const;
const MAX_PRICE = 1_000_000;

export class UpsertSkuDto {
  @SkuCodeField()
  code!: string;

  @ApiProperty({ example: 'Organic Bananas 1kg' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'produce', description: 'produce, bakery, dairy, meat, ready_meals or a category of your own' })
  @Matches(CATEGORY_PATTERN, { message: 'must be a lower-case slug such as produce or ready_meals' })
  category!: string;

  @ApiProperty({ example: 1.2, minimum: 0 })
  @IsNumber(COST)
  @Min(0)
  @Max(MAX_PRICE)
  unitCost!: number;

  @ApiProperty({ example: 1.99, minimum: 0.01 })
  @IsNumber(MONEY)
  @Min(0.01)
  @Max(MAX_PRICE)
  listPrice!: number;

  @ApiProperty({ example: 5, minimum: 1, maximum: 365 })
  @IsInt()
  @Min(1)
  @Max(365)
  shelfLifeDays!: number;

  @ApiProperty({ type: Number, required: false, nullable: true, example: 0.99 })
  @IsOptional()
  @IsNumber(MONEY)
  @Min(0.01)
  @Max(MAX_PRICE)
  priceFloor?: number | null;

  @ApiProperty({ type: Number, required: false, nullable: true, example: 2.49 })
  @IsOptional()
  @IsNumber(MONEY)
  @Min(0.01)
  @Max(MAX_PRICE)
  priceCeiling?: number | null;

  @ApiProperty({ required: false, example: 0.05, description: 'Recovered per wasted unit (donation credit, animal feed).' })
  @IsOptional()
  @IsNumber(COST)
  @Min(0)
  @Max(MAX_PRICE)
  salvageValue?: number;
}

export class UpdateSkuDto extends PartialType(OmitType(UpsertSkuDto, ['code'] as const)) {}

export class BulkSkusDto {
  @ApiProperty({ type: [UpsertSkuDto], minItems: 1, maxItems: MAX_BULK_ROWS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_ROWS)
  @ValidateNested({ each: true })
  @Type(() => UpsertSkuDto)
  items!: UpsertSkuDto[];
}

export class SkuDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() category!: string;
  @ApiProperty() unitCost!: number;
  @ApiProperty() listPrice!: number;
  @ApiProperty() shelfLifeDays!: number;
  @ApiProperty({ nullable: true, type: Number }) priceFloor!: number | null;
  @ApiProperty({ nullable: true, type: Number }) priceCeiling!: number | null;
  @ApiProperty() salvageValue!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class SkuListQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, example: 'dairy' })
  @IsOptional()
  @Matches(CATEGORY_PATTERN, { message: 'must be a lower-case slug such as produce or ready_meals' })
  category?: string;

  @ApiProperty({ required: false, description: 'Case-insensitive match on code or name.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  search?: string;
}
