import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError } from '@dynaprice/kernel';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { databaseMode } from '../database/data-source-options';
import type { LivenessDto, ReadinessCheckDto, ReadinessDto } from './dto/health.response.dto';

const READY_CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Extra readiness checks that other modules contribute (e.g. "demand model loaded"). */
export type ReadinessProbe = () => Promise<ReadinessCheckDto> | ReadinessCheckDto;

@Injectable()
export class HealthService {
  private readonly probes: ReadinessProbe[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  registerProbe(probe: ReadinessProbe): void {
    this.probes.push(probe);
  }

  liveness(): LivenessDto {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }

  async readiness(): Promise<ReadinessDto> {
    const checks: ReadinessCheckDto[] = [await this.databaseCheck(), await this.migrationsCheck()];
    for (const probe of this.probes) checks.push(await probe());
    const failed = checks.filter((check) => !check.ok);
    if (failed.length > 0) {
      throw new DomainError('UNAVAILABLE', `not ready: ${failed.map((check) => `${check.name} (${check.detail ?? 'failed'})`).join(', ')}`);
    }
    return { status: 'ready', database: databaseMode(this.config), checks };
  }

  private async databaseCheck(): Promise<ReadinessCheckDto> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), READY_CHECK_TIMEOUT_MS);
      return { name: 'database', ok: true };
    } catch (error) {
      return { name: 'database', ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  private async migrationsCheck(): Promise<ReadinessCheckDto> {
    try {
      const pending = await withTimeout(this.dataSource.showMigrations(), READY_CHECK_TIMEOUT_MS);
      return pending ? { name: 'migrations', ok: false, detail: 'migrations pending' } : { name: 'migrations', ok: true };
    } catch (error) {
      return { name: 'migrations', ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }
}
