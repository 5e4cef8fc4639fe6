import { Injectable } from '@nestjs/common';

export type CatalogTable = 'stores' | 'skus' | 'inventory' | 'guardrails' | 'overrides';

export interface CatalogChange {
  table: CatalogTable;
  /** For inventory: the stores whose lots changed (all loaded stores when absent). */
  storeIds?: string[];
}

type Listener = (change: CatalogChange) => Promise<void> | void;

/**
 * In-process signal that catalog data changed. `changed` resolves once every listener (the pricing
 * cache) has caught up, so a write's answer means the next price request already sees it.
 */
@Injectable()
export class CatalogChanges {
  private readonly listeners = new Set<Listener>();

  async changed(table: CatalogTable, storeIds?: string[]): Promise<void> {
    const change: CatalogChange = storeIds ? { table, storeIds } : { table };
    await Promise.all([...this.listeners].map((listener) => listener(change)));
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
