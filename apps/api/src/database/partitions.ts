import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MS_PER_DAY } from '@dynaprice/pricing';
import { DataSource } from 'typeorm';

/** The append-only tables, partitioned by UTC day of their time column. */
export type PartitionedTable = 'sales' | 'waste_events' | 'price_decisions' | 'price_requests' | 'audit_log';

function dayStart(time: number): number {
  return Math.floor(time / MS_PER_DAY) * MS_PER_DAY;
}

function partitionName(table: PartitionedTable, day: number): string {
  return `${table}_p${new Date(day).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/**
 * Creates each day's partition before the first write to it. Idempotent and safe across instances
 * (IF NOT EXISTS, and a lost race on the same name is ignored); remembers what exists.
 */
@Injectable()
export class PartitionManager {
  private readonly known = new Set<string>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Ensures partitions for every day touched by `times` (Unix ms or Dates). Call it before opening
   * the transaction that writes: a partition created inside a rolled-back transaction would vanish.
   */
  async ensure(table: PartitionedTable, times: Iterable<number | Date>): Promise<void> {
    const days = new Set<number>();
    for (const time of times) days.add(dayStart(+time));
    for (const day of days) {
      const name = partitionName(table, day);
      if (this.known.has(name)) continue;
      const from = new Date(day).toISOString();
      const to = new Date(day + MS_PER_DAY).toISOString();
      try {
        await this.dataSource.query(`CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "${table}" FOR VALUES FROM ('${from}') TO ('${to}')`);
      } catch (error) {
        // Another instance created it between our check and our CREATE: that is what we wanted.
        const code = (error as { driverError?: { code?: string } }).driverError?.code;
        if (code !== '42P07' && code !== '23505') throw error;
      }
      this.known.add(name);
    }
  }

  /** Forget what exists (after migrations are rolled back in tests, or when an insert found a partition missing). */
  reset(table?: PartitionedTable): void {
    if (table === undefined) this.known.clear();
    else for (const name of [...this.known]) if (name.startsWith(`${table}_p`)) this.known.delete(name);
  }

  /**
   * Retention: drops the day partitions of `table` that end at or before `before` (whole days only;
   * the rows of a day go together). Returns the names dropped.
   */
  async dropBefore(table: PartitionedTable, before: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = p.relnamespace WHERE p.relname = $1 AND n.nspname = current_schema()`,
      [table],
    )) as Array<{ name: string }>;
    const dropped: string[] = [];
    for (const { name } of rows) {
      const match = new RegExp(`^${table}_p(\\d{4})(\\d{2})(\\d{2})$`).exec(name);
      if (!match) continue;
      const dayEnd = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + MS_PER_DAY;
      if (dayEnd > before) continue;
      await this.dataSource.query(`DROP TABLE IF EXISTS "${name}"`);
      this.known.delete(name);
      dropped.push(name);
    }
    return dropped.sort();
  }
}

/**
 * Rows per INSERT of a background flush, and a pause between statements: the embedded database runs
 * on the event loop (WASM), so a flush in small steps lets price requests through in between instead
 * of stalling them (and pushing model calls past their time budget).
 */
export function flushChunkRows(embedded: boolean): number {
  return embedded ? 200 : 2_000;
}
