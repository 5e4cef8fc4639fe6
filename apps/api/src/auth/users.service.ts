import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError } from '@dynaprice/kernel';
import { randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { CredentialCache } from './credential-cache';
import type { CreateUserDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { AuthSessionEntity } from './entities/auth-session.entity';
import { UserEntity } from './entities/user.entity';
import { PasswordHasher } from './password-hasher';
import type { Role } from './permissions';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toUserDto(user: UserEntity): UserDto {
  return {
    id: user.id,
    email: user.email,
    role: user.role as Role,
    createdAt: user.createdAt.toISOString(),
    createdBy: user.createdBy,
    disabledAt: user.disabledAt?.toISOString() ?? null,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}

/** Local accounts: created by an admin (or the CLI), never deleted (disabled, so the audit trail keeps its names). */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(AuthSessionEntity) private readonly sessions: Repository<AuthSessionEntity>,
    private readonly hasher: PasswordHasher,
    private readonly cache: CredentialCache,
  ) {}

  async create(input: CreateUserDto, createdBy: string): Promise<UserDto> {
    const email = normaliseEmail(input.email);
    if (await this.users.existsBy({ email })) throw DomainError.conflict(`a user with email ${JSON.stringify(email)} already exists`);
    const user = await this.users.save(
      this.users.create({ id: randomUUID(), email, role: input.role, passwordHash: await this.hasher.hash(input.password), createdBy, disabledAt: null, lastLoginAt: null }),
    );
    return toUserDto(user);
  }

  async list(): Promise<UserDto[]> {
    return (await this.users.find({ order: { email: 'ASC' } })).map(toUserDto);
  }

  async get(id: string): Promise<UserDto> {
    return toUserDto(await this.require(id));
  }

  async update(id: string, input: UpdateUserDto): Promise<UserDto> {
    const user = await this.require(id);
    if (user.disabledAt !== null) throw DomainError.conflict(`user ${id} is disabled`);
    if (input.role !== undefined && input.role !== user.role) {
      if (user.role === 'admin') await this.keepOneAdmin(user.id, 'lose the admin role');
      user.role = input.role;
    }
    if (input.password !== undefined) user.passwordHash = await this.hasher.hash(input.password);
    const saved = await this.users.save(user);
    if (input.role !== undefined || input.password !== undefined) await this.revokeSessions(id);
    return toUserDto(saved);
  }

  /** Disables the account and ends its sessions; the row stays. */
  async disable(id: string): Promise<void> {
    const user = await this.require(id);
    if (user.disabledAt !== null) return;
    if (user.role === 'admin') await this.keepOneAdmin(user.id, 'be disabled');
    user.disabledAt = new Date();
    await this.users.save(user);
    await this.revokeSessions(id);
  }

  async revokeSessions(userId: string): Promise<void> {
    await this.sessions.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.cache.sessions.clear();
  }

  private async keepOneAdmin(userId: string, what: string): Promise<void> {
    const others = await this.users.createQueryBuilder('u').where("u.role = 'admin' AND u.disabled_at IS NULL AND u.id <> :userId", { userId }).getCount();
    if (others === 0) throw DomainError.conflict(`the last active admin cannot ${what}: create another admin first`);
  }

  private async require(id: string): Promise<UserEntity> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw DomainError.notFound('user', id);
    return user;
  }
}
