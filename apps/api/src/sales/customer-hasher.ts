import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * Customer and session ids are never stored, logged or measured raw: only this keyed hash
 * (HMAC-SHA256, hex). The same id always hashes the same under one key, so audits can group by it.
 */
@Injectable()
export class CustomerHasher {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = Buffer.from(config.customerHashKey ?? CustomerHasher.embeddedKey(config.dataDir));
  }

  hash(customerId: string): string {
    return createHmac('sha256', this.key).update(customerId, 'utf8').digest('hex');
  }

  /** Embedded mode without a configured key: one random key, kept beside the database. */
  private static embeddedKey(dataDir: string): string {
    if (dataDir.startsWith('memory://')) return randomBytes(32).toString('hex');
    const folder = join(dataDir, 'secrets');
    const file = join(folder, 'customer-hmac.key');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    mkdirSync(folder, { recursive: true });
    const key = randomBytes(32).toString('hex');
    writeFileSync(file, key, { mode: 0o600 });
    chmodSync(file, 0o600);
    return key;
  }
}
