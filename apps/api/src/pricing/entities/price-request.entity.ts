import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every price request, with the decisions it was served (reused or new): the exposure log of
 * experiments and the audit trail of who asked. Partitioned by day of `requestedAt`.
 */
@Entity({ name: 'price_requests' })
@Index('idx_price_requests_store_time', ['storeId', 'requestedAt'])
export class PriceRequestEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @PrimaryColumn({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'request_id', type: 'varchar', length: 128 })
  requestId!: string;

  @Column({ type: 'varchar', length: 100 })
  caller!: string;

  @Column({ name: 'store_id', type: 'varchar', length: 32 })
  storeId!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  channel!: string | null;

  /** HMAC of the customer or session id; never the raw id. */
  @Column({ name: 'customer_hash', type: 'varchar', length: 64, nullable: true })
  customerHash!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  segment!: string | null;

  @Column({ name: 'decision_ids', type: 'uuid', array: true })
  decisionIds!: string[];
}
