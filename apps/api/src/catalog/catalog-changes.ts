import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

export type CatalogTable = 'stores' | 'skus' | 'inventory' | 'guardrails' | 'overrides';

/** In-process signal that catalog data changed, so caches (the pricing hot path) refresh. */
@Injectable()
export class CatalogChanges {
  private readonly emitter = new EventEmitter();

  changed(table: CatalogTable): void {
    this.emitter.emit('changed', table);
  }

  onChange(listener: (table: CatalogTable) => void): () => void {
    this.emitter.on('changed', listener);
    return () => this.emitter.off('changed', listener);
  }
}
