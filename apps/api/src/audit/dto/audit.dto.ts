import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from '../../common/dto/page.dto';
import { SkuCodeField, StoreIdField } from '../../catalog/dto/identifiers';

export const AUDIT_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export class AuditQueryDto {
  @ApiProperty({ required: false, description: 'Caller label (`key:dp_…`, `user:<email>`, `oidc:…`, `anonymous`) or id (API key id, user id, OIDC subject).' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  caller?: string;

  @ApiProperty({ required: false, example: '/v1/prices', description: 'Route pattern, exactly as recorded (`/v1/stores/:id`).' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  route?: string;

  @ApiProperty({ required: false, enum: AUDIT_METHODS })
  @IsOptional()
  @IsIn(AUDIT_METHODS)
  method?: string;

  @ApiProperty({ required: false, example: 403 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(599)
  status?: number;

  @ApiProperty({ required: false, format: 'date-time', description: 'From this instant (inclusive).' })
  @IsOptional()
  @IsDateString({ strict: true, strictSeparator: true })
  from?: string;

  @ApiProperty({ required: false, format: 'date-time', description: 'Until this instant (exclusive).' })
  @IsOptional()
  @IsDateString({ strict: true, strictSeparator: true })
  to?: string;

  @StoreIdField({ required: false, description: 'Calls about this store.' })
  store?: string;

  @SkuCodeField({ required: false, description: 'Calls about this SKU.' })
  sku?: string;

  @ApiProperty({ required: false, minimum: 1, maximum: MAX_PAGE_SIZE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 100;

  @ApiProperty({ required: false, description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'must be a cursor from a previous page' })
  cursor?: string;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() requestId!: string;
  @ApiProperty({ example: 'key:dp_demo_pos' }) caller!: string;
  @ApiProperty({ enum: ['user', 'api-key', 'oidc', 'anonymous'] }) callerKind!: string;
  @ApiProperty({ nullable: true, type: String }) callerId!: string | null;
  @ApiProperty({ nullable: true, type: String }) role!: string | null;
  @ApiProperty() method!: string;
  @ApiProperty({ example: '/v1/prices' }) route!: string;
  @ApiProperty() status!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Why the call was refused (401 / 403 / 429).' }) detail!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'HMAC-SHA256 (hex) of the raw request body under a server key; the body itself is never kept.' })
  payloadHash!: string | null;
  @ApiProperty() sourceIp!: string;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ nullable: true, type: [String], description: 'Price decisions the answer carried, read from its request record. For a call another API instance answered in the last fraction of a second, null until that instance has written its request record (each instance writes its own every 200 ms).' }) decisionIds!: string[] | null;
  @ApiProperty({ nullable: true, type: [String] }) storeIds!: string[] | null;
  @ApiProperty({ nullable: true, type: [String] }) skuCodes!: string[] | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next (older) page; null on the last page.' }) nextCursor!: string | null;
}
