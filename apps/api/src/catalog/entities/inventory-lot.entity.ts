import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import { quantity } from '../../database/column-types';
import { SkuEntity } from './sku.entity';
import { StoreEntity } from './store.entity';

@Entity({ name: 'inventory_lots' })
@Check('ck_inventory_lots_quantity', '"quantity" >= 0')
@Check('ck_inventory_lots_expiry', '"expires_at" > "received_at"')
@Unique('uq_inventory_lots_store_sku_ref', ['storeId', 'skuCode', 'lotRef'])
@Index('idx_inventory_lots_store_expires', ['storeId', 'expiresAt'])
export class InventoryLotEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'store_id', type: 'varchar', length: 32 })
  storeId!: string;

  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;

  @Index('idx_inventory_lots_sku')
  @Column({ name: 'sku_code', type: 'varchar', length: 64 })
  skuCode!: string;

  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_code' })
  sku?: SkuEntity;

  /** The retailer's own lot reference: the natural key of the nightly feed. */
  @Column({ name: 'lot_ref', type: 'varchar', length: 64 })
  lotRef!: string;

  @Column({ ...quantity })
  quantity!: number;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
