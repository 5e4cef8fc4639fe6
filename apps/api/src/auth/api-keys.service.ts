import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError } from '@dynaprice/kernel';
import { randomUUID } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { StoreEntity } from '../catalog/entities/store.entity';
import { generateApiKey, parseApiKey, sha256Hex } from './api-key-format';
import { CredentialCache } from './credential-cache';
import type { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { ApiKeyEntity } from './entities/api-key.entity';
import type { Role } from './permissions';

const DAY = 86_400_000;
const DEFAULT_LIFETIME_MS = 365 * DAY;
const MAX_LIFETIME_MS = 5 * 366 * DAY;

export function toApiKeyDto(key: ApiKeyEntity, now = Date.now()): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    role: key.role as Role,
    storeIds: key.storeIds,
    createdAt: key.createdAt.toISOString(),
    createdBy: key.createdBy,
    expiresAt: key.expiresAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    active: key.revokedAt === null && +key.expiresAt > now,
  };
}

/** Machine credentials: random keys shown once, stored as SHA-256, revocable, always expiring. */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectRepository(StoreEntity) private readonly stores: Repository<StoreEntity>,
    private readonly cache: CredentialCache,
  ) {}

  async create(input: CreateApiKeyDto, createdBy: string): Promise<CreatedApiKeyDto> {
    const { key, prefix } = generateApiKey();
    return this.store(key, prefix, input, createdBy);
  }

  /**
   * A key with a chosen value: the documented demo keys and the test harness. The value must have
   * the API key format; it is stored hashed like any other.
   */
  async createWithKey(key: string, input: CreateApiKeyDto, createdBy: string): Promise<CreatedApiKeyDto> {
    const parsed = parseApiKey(key);
    if (!parsed) throw DomainError.validation('key', 'is not an API key (dp_<prefix>_<secret>)');
    return this.store(key, parsed.prefix, input, createdBy);
  }

  async list(): Promise<ApiKeyDto[]> {
    const now = Date.now();
    return (await this.keys.find({ order: { createdAt: 'DESC', id: 'ASC' } })).map((key) => toApiKeyDto(key, now));
  }

  async get(id: string): Promise<ApiKeyDto> {
    return toApiKeyDto(await this.require(id));
  }

  /** Revokes at once on this instance (and within the credential cache period on others). Idempotent. */
  async revoke(id: string): Promise<void> {
    const key = await this.require(id);
    if (key.revokedAt === null) {
      key.revokedAt = new Date();
      await this.keys.save(key);
    }
    this.cache.apiKeys.delete(key.prefix);
  }

  async findByPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ prefix });
  }

  /** Records use (at most once a minute per key, by the caller), best effort. */
  async touch(id: string, at: Date): Promise<void> {
    await this.keys.update({ id }, { lastUsedAt: at });
  }

  private async store(key: string, prefix: string, input: CreateApiKeyDto, createdBy: string): Promise<CreatedApiKeyDto> {
    const now = Date.now();
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : new Date(now + DEFAULT_LIFETIME_MS);
    if (+expiresAt <= now) throw DomainError.validation('expiresAt', 'must be in the future');
    if (+expiresAt - now > MAX_LIFETIME_MS) throw DomainError.validation('expiresAt', 'must be within five years');
    const storeIds = input.storeIds ? [...new Set(input.storeIds)].sort() : null;
    if (storeIds) {
      const known = new Set((await this.stores.find({ select: { id: true }, where: { id: In(storeIds) } })).map((store) => store.id));
      const missing = storeIds.filter((id) => !known.has(id));
      if (missing.length > 0) throw DomainError.validation('storeIds', `unknown store${missing.length > 1 ? 's' : ''} ${missing.map((id) => JSON.stringify(id)).join(', ')}`);
    }
    if (await this.keys.existsBy({ prefix })) throw DomainError.conflict(`an API key with prefix ${prefix} already exists`);
    const saved = await this.keys.save(
      this.keys.create({ id: randomUUID(), name: input.name, prefix, keyHash: sha256Hex(key), role: input.role, storeIds, createdBy, expiresAt, revokedAt: null, lastUsedAt: null }),
    );
    this.cache.apiKeys.delete(prefix);
    return { ...toApiKeyDto(saved, now), key };
  }

  private async require(id: string): Promise<ApiKeyEntity> {
    const key = await this.keys.findOneBy({ id });
    if (!key) throw DomainError.notFound('API key', id);
    return key;
  }
}
