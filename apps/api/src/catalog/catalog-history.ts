import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DomainError } from '@dynaprice/kernel';
import type { EntityManager } from 'typeorm';
import { DecisionJournal } from '../pricing/decision-journal';

export type CatalogSubject = 'store' | 'sku';

/**
 * A store or SKU with trading history cannot be deleted: sales, waste events, price decisions and
 * price requests name it, and those day-partitioned tables carry no foreign key (inventory lots and
 * overrides do, and the database refuses on its own). Deleting one anyway left orphan rows that
 * analysis and audits can no longer join.
 */
@Injectable()
export class CatalogHistory {
  constructor(private readonly modules: ModuleRef) {}

  /** Throws CONFLICT naming what still refers to the store or SKU. Call `flushDecisions` first, then this inside the deleting transaction. */
  async assertUnused(manager: EntityManager, subject: CatalogSubject, id: string): Promise<void> {
    const label = subject === 'store' ? `store ${JSON.stringify(id)}` : `SKU ${JSON.stringify(id)}`;
    // The row first: a sales or waste batch holding it (FOR KEY SHARE) commits before the look below,
    // which then sees its events; one that comes later finds the row gone and is refused.
    await manager.query(subject === 'store' ? `SELECT 1 FROM stores WHERE id = $1 FOR UPDATE` : `SELECT 1 FROM skus WHERE code = $1 FOR UPDATE`, [id]);
    for (const { table, what } of HISTORY) {
      if (subject === 'sku' && table === 'price_requests') continue;
      // A store's rows are found through the (store_id, sku_code, time) indexes; a SKU's through one
      // index probe per store, so that an unused SKU does not cost a scan of every partition.
      const rows = (await manager.query(
        subject === 'store'
          ? `SELECT 1 FROM ${table} WHERE store_id = $1 LIMIT 1`
          : `SELECT 1 FROM stores s CROSS JOIN LATERAL (SELECT 1 FROM ${table} h WHERE h.store_id = s.id AND h.sku_code = $1 LIMIT 1) found LIMIT 1`,
        [id],
      )) as unknown[];
      if (rows.length > 0) throw DomainError.conflict(`${label} has ${what}: it cannot be deleted`);
    }
  }

  /**
   * Decisions still in the journal reach the database first, so that `assertUnused` sees them. Outside
   * any transaction: the embedded database has one connection, which the flush needs.
   */
  async flushDecisions(subject: CatalogSubject, id: string): Promise<void> {
    // Resolved at call time: the pricing module imports the catalog, not the other way round.
    let journal: DecisionJournal;
    try {
      journal = this.modules.get(DecisionJournal, { strict: false });
    } catch {
      return; // an application without pricing has no journal
    }
    await journal.flush();
    if (journal.backlog > 0) throw DomainError.conflict(`price decisions are still being written; try deleting ${subject} ${JSON.stringify(id)} again in a moment`);
  }
}

const HISTORY: ReadonlyArray<{ table: string; what: string }> = [
  { table: 'sales', what: 'sales' },
  { table: 'waste_events', what: 'waste events' },
  { table: 'price_decisions', what: 'price decisions' },
  { table: 'price_requests', what: 'price requests' },
];
