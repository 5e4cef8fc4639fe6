import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { databaseMode } from '../database/data-source-options';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyEntity } from './entities/api-key.entity';
import { UserEntity } from './entities/user.entity';
import { ROLES, type Role } from './permissions';
import { UsersService } from './users.service';

/** The embedded demo's password for every demo user (README "Demo credentials"). */
export const DEMO_PASSWORD = 'dynaprice-demo';

export interface DemoCredential {
  role: Role;
  email: string;
  password: string;
  apiKey: string;
}

/** One user and one API key per role, fixed and documented: `pos@demo.dynaprice.dev`, `dp_demo_pos_DemoOnlyNotSecret`, … */
export function demoCredential(role: Role): DemoCredential {
  return { role, email: `${role}@demo.dynaprice.dev`, password: DEMO_PASSWORD, apiKey: `dp_demo_${role.replace(/-/g, '_')}_DemoOnlyNotSecret` };
}

export const DEMO_CREDENTIALS: readonly DemoCredential[] = ROLES.map(demoCredential);

const FIVE_YEARS_MS = 5 * 365 * 86_400_000;

/**
 * The embedded demo (no DATABASE_URL, DEMO_SEED on) gets fixed credentials so that `npm start` can be
 * tried at once; they are logged at every start. With DATABASE_URL nothing is created: the first
 * admin comes from `dynaprice users create --role admin`.
 */
@Injectable()
export class DemoCredentials {
  private readonly logger = new Logger(DemoCredentials.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeysService,
    @InjectRepository(UserEntity) private readonly userRows: Repository<UserEntity>,
    @InjectRepository(ApiKeyEntity) private readonly keyRows: Repository<ApiKeyEntity>,
  ) {}

  get enabled(): boolean {
    return this.config.seedDemo && databaseMode(this.config) === 'embedded';
  }

  /** Creates whatever demo credential is missing (idempotent) and logs them all. */
  async ensure(): Promise<void> {
    if (!this.enabled) return;
    for (const credential of DEMO_CREDENTIALS) {
      if (!(await this.userRows.existsBy({ email: credential.email }))) {
        await this.users.create({ email: credential.email, password: credential.password, role: credential.role }, 'demo-seed');
      }
      const prefix = credential.apiKey.slice(0, credential.apiKey.lastIndexOf('_'));
      if (!(await this.keyRows.existsBy({ prefix }))) {
        await this.apiKeys.createWithKey(
          credential.apiKey,
          { name: `demo ${credential.role}`, role: credential.role, expiresAt: new Date(Date.now() + FIVE_YEARS_MS).toISOString() },
          'demo-seed',
        );
      }
      this.logger.warn({ msg: 'demo credential (embedded demo only)', role: credential.role, demoEmail: credential.email, demoPassword: credential.password, demoApiKey: credential.apiKey });
    }
  }
}
