import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { money, quantity } from '../../database/column-types';

/**
 * A sale reported by a POS: append-only, range-partitioned by day of `soldAt` (migration), so the
 * primary key and the idempotency key include it. A retried event carries the same key and time.
 */
@Entity({ name: 'sales' })
@Index('uq_sales_idempotency', ['idempotencyKey', 'soldAt'], { unique: true })
@Index('idx_sales_store_sku_time', ['storeId', 'skuCode', 'soldAt'])
@Index('idx_sales_decision', ['decisionId'])
export class SaleEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @PrimaryColumn({ name: 'sold_at', type: 'timestamptz' })
  soldAt!: Date;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 128 })
  idempotencyKey!: string;

  @Column({ name: 'store_id', type: 'varchar', length: 32 })
  storeId!: string;

  @Column({ name: 'sku_code', type: 'varchar', length: 64 })
  skuCode!: string;

  @Column({ ...quantity })
  quantity!: number;

  @Column({ name: 'unit_price', ...money })
  unitPrice!: number;

  /** The price decision the POS charged, when it knows it. */
  @Column({ name: 'decision_id', type: 'uuid', nullable: true })
  decisionId!: string | null;

  /** HMAC-SHA256 of the customer id with the configured key; the raw id is never stored. */
  @Column({ name: 'customer_hash', type: 'varchar', length: 64, nullable: true })
  customerHash!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  segment!: string | null;

  @Column({ name: 'ingested_at', type: 'timestamptz', default: () => 'now()' })
  ingestedAt!: Date;
}
