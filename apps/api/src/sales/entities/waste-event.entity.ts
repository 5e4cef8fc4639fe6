import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { cost, quantity } from '../../database/column-types';

/** Units thrown away (expired, damaged): append-only, partitioned by day of `wastedAt`. */
@Entity({ name: 'waste_events' })
@Index('uq_waste_events_idempotency', ['idempotencyKey', 'wastedAt'], { unique: true })
@Index('idx_waste_events_store_sku_time', ['storeId', 'skuCode', 'wastedAt'])
export class WasteEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @PrimaryColumn({ name: 'wasted_at', type: 'timestamptz' })
  wastedAt!: Date;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 128 })
  idempotencyKey!: string;

  @Column({ name: 'store_id', type: 'varchar', length: 32 })
  storeId!: string;

  @Column({ name: 'sku_code', type: 'varchar', length: 64 })
  skuCode!: string;

  @Column({ ...quantity })
  quantity!: number;

  @Column({ name: 'unit_cost', ...cost })
  unitCost!: number;

  @Column({ type: 'varchar', length: 32 })
  reason!: string;

  @Column({ name: 'ingested_at', type: 'timestamptz', default: () => 'now()' })
  ingestedAt!: Date;
}
