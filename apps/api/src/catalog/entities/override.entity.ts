import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { money } from '../../database/column-types';
import { SkuEntity } from './sku.entity';
import { StoreEntity } from './store.entity';

/** A merchandiser's fixed price for a SKU (one store or chain-wide) over [startsAt, endsAt). */
@Entity({ name: 'price_overrides' })
@Check('ck_price_overrides_window', '"ends_at" > "starts_at" AND "price" > 0')
@Index('idx_price_overrides_sku_ends', ['skuCode', 'endsAt'])
export class OverrideEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'sku_code', type: 'varchar', length: 64 })
  skuCode!: string;

  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_code' })
  sku?: SkuEntity;

  /** null: every store. */
  @Column({ name: 'store_id', type: 'varchar', length: 32, nullable: true })
  storeId!: string | null;

  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity | null;

  @Column({ ...money })
  price!: number;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'text' })
  reason!: string;

  /** Set by an admin: the price stands even outside the SKU's floor / ceiling. */
  @Column({ type: 'boolean', default: false })
  forced!: boolean;

  @Column({ name: 'created_by', type: 'varchar', length: 100 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Ended early by a merchandiser; kept for the audit trail. */
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;
}
