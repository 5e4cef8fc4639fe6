import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { cost, money } from '../../database/column-types';

@Entity({ name: 'skus' })
@Check('ck_skus_prices', '"unit_cost" >= 0 AND "list_price" > 0 AND "shelf_life_days" > 0')
export class SkuEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Index('idx_skus_category')
  @Column({ type: 'varchar', length: 32 })
  category!: string;

  @Column({ name: 'unit_cost', ...cost })
  unitCost!: number;

  @Column({ name: 'list_price', ...money })
  listPrice!: number;

  @Column({ name: 'shelf_life_days', type: 'integer' })
  shelfLifeDays!: number;

  @Column({ name: 'price_floor', ...money, nullable: true })
  priceFloor!: number | null;

  @Column({ name: 'price_ceiling', ...money, nullable: true })
  priceCeiling!: number | null;

  @Column({ name: 'salvage_value', ...cost, default: 0 })
  salvageValue!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
