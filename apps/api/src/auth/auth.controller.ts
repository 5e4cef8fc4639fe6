import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthService } from './auth.service';
import { CurrentPrincipal, SourceIp } from './current-principal.decorator';
import { LoginRequestDto, LoginResponseDto, MeResponseDto } from './dto/login.dto';
import { Permission, Public, RequirePermission } from './permissions';
import type { Principal } from './principal';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: LoginResponseDto, description: 'A short-lived session token (JWT_TTL_SECONDS) for `Authorization: Bearer …`.' })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password, or a disabled account (one message for all three).' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed sign-ins for this email or address (Retry-After).' })
  login(@Body() body: LoginRequestDto, @SourceIp() sourceIp: string): Promise<LoginResponseDto> {
    return this.auth.login(body, sourceIp);
  }

  @Get('me')
  @RequirePermission(Permission.SessionUse)
  @ApiOkResponse({ type: MeResponseDto, description: 'Who the credential belongs to, and every permission its role holds.' })
  me(@CurrentPrincipal() principal: Principal): MeResponseDto {
    return this.auth.me(principal);
  }

  @Post('logout')
  @RequirePermission(Permission.SessionUse)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The session token stops working.' })
  logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    return this.auth.logout(principal);
  }
}
