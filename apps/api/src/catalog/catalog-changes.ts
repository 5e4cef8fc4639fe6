import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

export type CatalogTable = 'stores' | 'skus' | 'inventory' | 'guardrails' | 'overrides';

export interface CatalogChange {
  table: CatalogTable;
  /** For inventory: the stores whose lots changed (all loaded stores when absent). */
  storeIds?: string[];
}

type Listener = (change: CatalogChange) => Promise<void> | void;

const CHANNEL = 'dynaprice_catalog';
const RECONNECT_MS = 1_000;

/**
 * The signal that catalog data changed, so caches (the pricing hot path) refresh. `changed` resolves
 * once every local listener has caught up, so a write's answer means the next price request on this
 * instance already sees it. On PostgreSQL the change is also broadcast with NOTIFY, and every other
 * instance LISTENs and refreshes within milliseconds (their safety reload covers a lost connection).
 */
@Injectable()
export class CatalogChanges implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CatalogChanges.name);
  private readonly listeners = new Set<Listener>();
  private readonly instanceId = randomUUID();
  private client: Client | null = null;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.databaseUrl) await this.listen().catch((error: unknown) => this.scheduleReconnect(error));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    client?.removeAllListeners();
    await client?.end().catch(() => undefined);
  }

  async changed(table: CatalogTable, storeIds?: string[]): Promise<void> {
    const change: CatalogChange = storeIds ? { table, storeIds } : { table };
    await this.notifyLocal(change);
    if (this.config.databaseUrl) {
      const payload = JSON.stringify({ from: this.instanceId, ...change });
      // pg_notify payloads are limited to 8000 bytes: a huge store list becomes "all stores".
      const safe = payload.length < 7_900 ? payload : JSON.stringify({ from: this.instanceId, table });
      await this.dataSource.query('SELECT pg_notify($1, $2)', [CHANNEL, safe]).catch((error: unknown) => {
        this.logger.warn({ msg: 'could not broadcast a catalog change; other instances catch up on their next reload', error: String(error) });
      });
    }
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async notifyLocal(change: CatalogChange): Promise<void> {
    await Promise.all([...this.listeners].map((listener) => listener(change)));
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl ?? undefined, connectionTimeoutMillis: 5_000, application_name: 'dynaprice-catalog-listener' });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        const { from, ...change } = JSON.parse(message.payload) as CatalogChange & { from: string };
        if (from !== this.instanceId) void this.notifyLocal(change);
      } catch {
        this.logger.warn({ msg: 'ignoring a malformed catalog notification' });
      }
    });
    client.on('error', (error) => this.scheduleReconnect(error));
    client.on('end', () => this.scheduleReconnect(new Error('connection ended')));
    this.client = client;
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
  }

  private scheduleReconnect(error: unknown): void {
    if (this.stopped || this.reconnectTimer) return;
    const client = this.client;
    this.client = null;
    client?.removeAllListeners();
    void client?.end().catch(() => undefined);
    this.logger.warn({ msg: 'catalog change listener disconnected; reconnecting', error: String(error) });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      // Changes missed while disconnected: reload as if everything changed.
      void this.listen()
        .then(() => Promise.all((['stores', 'skus', 'guardrails', 'overrides', 'inventory'] as const).map((table) => this.notifyLocal({ table }))))
        .catch((next: unknown) => this.scheduleReconnect(next));
    }, RECONNECT_MS);
    this.reconnectTimer.unref();
  }
}
