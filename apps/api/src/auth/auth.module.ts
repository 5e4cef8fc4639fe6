import { Global, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StoreEntity } from '../catalog/entities/store.entity';
import { AccessGuard } from './access.guard';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { Authenticator } from './authenticator';
import { CredentialCache } from './credential-cache';
import { DemoCredentials } from './demo-credentials';
import { ApiKeyEntity } from './entities/api-key.entity';
import { AuthSessionEntity } from './entities/auth-session.entity';
import { UserEntity } from './entities/user.entity';
import { LoginThrottle } from './login-throttle';
import { OidcVerifier } from './oidc-verifier';
import { PasswordHasher } from './password-hasher';
import { RouteInventory } from './route-inventory';
import { SessionTokens } from './session-tokens';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

const CORE_PROVIDERS = [PasswordHasher, SessionTokens, OidcVerifier, CredentialCache, UsersService, ApiKeysService, AuthService, LoginThrottle, Authenticator, DemoCredentials];

/** Users, API keys, sessions and credential checks, without HTTP: what the API and the admin CLI share. */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, AuthSessionEntity, ApiKeyEntity, StoreEntity])],
  providers: CORE_PROVIDERS,
  exports: CORE_PROVIDERS,
})
export class AuthCoreModule {}

/**
 * Access control of the HTTP API: sign-in, users and API keys routes, and the global AccessGuard
 * that checks every route against PERMISSION_MATRIX (the hooks are in http-security.ts).
 */
@Global()
@Module({
  imports: [AuthCoreModule],
  controllers: [AuthController, UsersController, ApiKeysController],
  providers: [RouteInventory, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [AuthCoreModule, RouteInventory],
})
export class AuthModule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuthModule.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly auth: AuthService) {}

  /** Housekeeping: sessions that ended more than a day ago are deleted at start and daily. */
  async onApplicationBootstrap(): Promise<void> {
    await this.purge();
    this.timer = setInterval(() => void this.purge(), 86_400_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async purge(): Promise<void> {
    try {
      await this.auth.purgeExpiredSessions();
    } catch (error) {
      this.logger.warn({ msg: 'expired sessions not purged; next attempt tomorrow', error: error instanceof Error ? error.message : String(error) });
    }
  }
}
