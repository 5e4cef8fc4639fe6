import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ROLES, type Role } from '../permissions';

/** Emails stay short enough for `user:<email>` to fit every `caller` column. */
export const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
export const PASSWORD_MIN = 12;

export class CreateUserDto {
  @ApiProperty({ example: 'ana@retailer.example' })
  @IsString()
  @Length(3, 90)
  @Matches(EMAIL_PATTERN, { message: 'must be an email address' })
  email!: string;

  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: 256 })
  @IsString()
  @Length(PASSWORD_MIN, 256, { message: `must be ${PASSWORD_MIN} to 256 characters` })
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

export class UpdateUserDto {
  @ApiProperty({ required: false, enum: ROLES, description: 'Changing the role ends the user’s sessions.' })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiProperty({ required: false, minLength: PASSWORD_MIN, maxLength: 256, description: 'Changing the password ends the user’s sessions.' })
  @IsOptional()
  @IsString()
  @Length(PASSWORD_MIN, 256, { message: `must be ${PASSWORD_MIN} to 256 characters` })
  password?: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) disabledAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastLoginAt!: string | null;
}
