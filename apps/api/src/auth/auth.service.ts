import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError } from '@dynaprice/kernel';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { CredentialCache } from './credential-cache';
import type { LoginRequestDto, LoginResponseDto, MeResponseDto } from './dto/login.dto';
import { AuthSessionEntity } from './entities/auth-session.entity';
import { UserEntity } from './entities/user.entity';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { isRole, permissionsOf } from './permissions';
import type { Principal } from './principal';
import { SessionTokens } from './session-tokens';
import { normaliseEmail } from './users.service';

const INVALID_LOGIN = 'email or password is wrong, or the account is disabled';

/** Sign-in (email + password → a short-lived session token), sign-out, and "who am I". */
@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(AuthSessionEntity) private readonly sessions: Repository<AuthSessionEntity>,
    private readonly hasher: PasswordHasher,
    private readonly tokens: SessionTokens,
    private readonly throttle: LoginThrottle,
    private readonly cache: CredentialCache,
  ) {}

  async login(body: LoginRequestDto, sourceIp: string): Promise<LoginResponseDto> {
    if (!this.tokens.enabled) throw new DomainError('UNAVAILABLE', 'sign-in is off on this server: set JWT_SECRET (API keys and OIDC tokens still work)');
    const email = normaliseEmail(body.email);
    this.throttle.check(email, sourceIp);
    const user = await this.users.findOneBy({ email });
    const valid = user && user.disabledAt === null && isRole(user.role) ? await this.hasher.verify(user.passwordHash, body.password) : await this.hasher.verifyNothing(body.password);
    if (!valid || !user) {
      this.throttle.fail(email, sourceIp);
      throw new DomainError('UNAUTHENTICATED', INVALID_LOGIN);
    }
    this.throttle.succeed(email);
    const now = Date.now();
    const sessionId = randomUUID();
    const { token, expiresAt } = await this.tokens.issue({ userId: user.id, sessionId, role: user.role, email: user.email }, now);
    await this.sessions.insert({ id: sessionId, userId: user.id, expiresAt: new Date(expiresAt), revokedAt: null });
    const changes: Partial<UserEntity> = { lastLoginAt: new Date(now) };
    if (this.hasher.needsRehash(user.passwordHash)) changes.passwordHash = await this.hasher.hash(body.password);
    await this.users.update({ id: user.id }, changes);
    return { accessToken: token, tokenType: 'Bearer', expiresAt: new Date(expiresAt).toISOString(), user: { id: user.id, email: user.email, role: user.role as Principal['role'] } };
  }

  /** Ends the caller's session (its token stops working at once on this instance). */
  async logout(principal: Principal): Promise<void> {
    if (principal.kind !== 'user' || !principal.sessionId) {
      throw new DomainError('PRECONDITION_FAILED', 'only a signed-in session can sign out; API keys are revoked at /v1/api-keys, OIDC tokens by their provider');
    }
    await this.sessions.update({ id: principal.sessionId }, { revokedAt: new Date() });
    this.cache.sessions.delete(principal.sessionId);
  }

  me(principal: Principal): MeResponseDto {
    return {
      kind: principal.kind,
      id: principal.id,
      label: principal.label,
      role: principal.role,
      email: principal.email ?? null,
      stores: principal.stores ? [...principal.stores] : null,
      permissions: permissionsOf(principal.role),
      expiresAt: principal.expiresAt === null ? null : new Date(principal.expiresAt).toISOString(),
    };
  }

  /** Housekeeping: sessions that ended more than a day ago. */
  async purgeExpiredSessions(now = Date.now()): Promise<number> {
    const result = await this.sessions.createQueryBuilder().delete().where('expires_at < :cutoff', { cutoff: new Date(now - 86_400_000) }).execute();
    return result.affected ?? 0;
  }
}
