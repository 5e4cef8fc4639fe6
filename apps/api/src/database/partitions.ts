import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MS_PER_DAY } from '@dynaprice/pricing';
import { DataSource } from 'typeorm';

/** The append-only tables, partitioned by UTC day of their time column. */
export type PartitionedTable = 'sales' | 'waste_events' | 'price_decisions' | 'price_requests';

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

  /** Forget what exists (after migrations are rolled back in tests). */
  reset(): void {
    this.known.clear();
  }
}
