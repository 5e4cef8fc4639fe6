import { ApiProperty, PartialType, OmitType } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page.dto';
import { StoreIdField } from './identifiers';


@ValidatorConstraint({ name: 'isTimeZone' })
export class IsTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }
  defaultMessage(): string {
    return 'must be an IANA time zone such as Europe/London';
  }
}

@ValidatorConstraint({ name: 'isStringMap' })
export class IsStringMap implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const entries = Object.entries(value);
    return entries.length <= 20 && entries.every(([key, item]) => /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(key) && typeof item === 'string' && item.length <= 100);
  }
  defaultMessage(): string {
    return 'must map up to 20 attribute names to strings of at most 100 characters';
  }
}

export class CreateStoreDto {
  @StoreIdField()
  id!: string;

  @ApiProperty({ example: 'Riverside Market' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'North' })
  @IsString()
  @Length(1, 100)
  region!: string;

  @ApiProperty({ example: 'urban-large' })
  @IsString()
  @Length(1, 100)
  cluster!: string;

  @ApiProperty({ example: 'Europe/London' })
  @Validate(IsTimeZone)
  timezone!: string;

  @ApiProperty({ required: false, example: { incomeBand: 'middle' }, description: 'Segment attributes for fairness audits; never used to price.' })
  @IsOptional()
  @IsObject()
  @Validate(IsStringMap)
  attributes?: Record<string, string>;
}

export class UpdateStoreDto extends PartialType(OmitType(CreateStoreDto, ['id'] as const)) {}

export class StoreDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() region!: string;
  @ApiProperty() cluster!: string;
  @ApiProperty() timezone!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) attributes!: Record<string, string>;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class StoreListQueryDto extends PageQueryDto {
  @ApiProperty({ required: false })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  region?: string;

  @ApiProperty({ required: false })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  cluster?: string;
}

