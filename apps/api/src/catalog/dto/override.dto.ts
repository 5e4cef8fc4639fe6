import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDateString, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsNumber } from '../../common/is-number';
import { PageQueryDto } from '../../common/dto/page.dto';
import { SkuCodeField, StoreIdField } from './identifiers';

export class CreateOverrideDto {
  @SkuCodeField()
  skuCode!: string;

  @StoreIdField({ required: false, nullable: true, description: 'Omit for every store.' })
  storeId?: string | null;

  @ApiProperty({ example: 1.49 })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1_000_000)
  price!: number;

  @ApiProperty({ required: false, format: 'date-time', description: 'Defaults to now.' })
  @IsOptional()
  @IsDateString({ strict: true, strictSeparator: true })
  startsAt?: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00Z' })
  @IsDateString({ strict: true, strictSeparator: true })
  endsAt!: string;

  @ApiProperty({ example: 'Local competitor promotion' })
  @IsString()
  @Length(3, 500)
  reason!: string;

  @ApiProperty({ required: false, default: false, description: 'Admin only: stand outside the floor / ceiling.' })
  @IsOptional()
  @IsBoolean()
  forced?: boolean;
}

export class UpdateOverrideDto extends PartialType(PickType(CreateOverrideDto, ['price', 'endsAt', 'reason'] as const)) {}

export class OverrideDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() skuCode!: string;
  @ApiProperty({ nullable: true, type: String }) storeId!: string | null;
  @ApiProperty() price!: number;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() forced!: boolean;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) cancelledAt!: string | null;
  @ApiProperty({ description: 'In force now: started, not ended, not cancelled.' }) active!: boolean;
}

export class OverrideListQueryDto extends PageQueryDto {
  @SkuCodeField({ required: false })
  skuCode?: string;

  @StoreIdField({ required: false })
  storeId?: string;

  @ApiProperty({ required: false, description: 'true: only overrides in force now.' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}
