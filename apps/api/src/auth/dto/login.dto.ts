import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ROLES, type Permission, type Role } from '../permissions';
import type { PrincipalKind } from '../principal';

export class LoginRequestDto {
  @ApiProperty({ example: 'merchandiser@demo.dynaprice.dev' })
  @IsString()
  @Length(3, 254)
  email!: string;

  @ApiProperty({ example: 'dynaprice-demo' })
  @IsString()
  @Length(1, 256)
  password!: string;
}

export class SessionUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <accessToken>`.' }) accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ format: 'date-time', description: 'The token stops working then; sign in again.' }) expiresAt!: string;
  @ApiProperty({ type: SessionUserDto }) user!: SessionUserDto;
}

export class MeResponseDto {
  @ApiProperty({ enum: ['user', 'api-key', 'oidc'] }) kind!: PrincipalKind;
  @ApiProperty({ description: 'User id, API key id or OIDC subject.' }) id!: string;
  @ApiProperty({ example: 'user:merchandiser@demo.dynaprice.dev', description: 'How the caller appears in logs, decisions and the audit trail.' }) label!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ nullable: true, type: [String], description: 'Stores the caller is limited to; null: every store.' }) stores!: string[] | null;
  @ApiProperty({ type: [String], description: 'Every permission the role holds (PERMISSION_MATRIX).' }) permissions!: Permission[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) expiresAt!: string | null;
}
