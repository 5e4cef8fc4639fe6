import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ROLES, type Role } from '../permissions';
import { STORE_ID_PATTERN } from '@dynaprice/catalog';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'POS S01 lane 3' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'pos' })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ required: false, type: [String], example: ['S01'], description: 'Limit the key to these stores (pricing, stock and sales of others are refused). Omit for every store.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Matches(STORE_ID_PATTERN, { each: true, message: 'must be store ids' })
  storeIds?: string[];

  @ApiProperty({ required: false, format: 'date-time', description: 'Default: one year from now. At most five years.' })
  @IsOptional()
  @IsDateString({ strict: true, strictSeparator: true })
  expiresAt?: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'dp_k3m9x2p7q4wz', description: 'The public start of the key.' }) prefix!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ nullable: true, type: [String] }) storeIds!: string[] | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastUsedAt!: string | null;
  @ApiProperty({ description: 'Neither revoked nor expired.' }) active!: boolean;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ example: 'dp_k3m9x2p7q4wz_…', description: 'The key. Shown this once; only its hash is kept. Send as `X-API-Key`.' })
  key!: string;
}
