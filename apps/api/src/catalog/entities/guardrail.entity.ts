import { Check, Column, Entity, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import { money, percent } from '../../database/column-types';

export type GuardrailScope = 'global' | 'category' | 'sku';

/** One level of guardrails; a null field inherits from the level above (global → category → SKU). */
@Entity({ name: 'guardrails' })
@Check('ck_guardrails_scope', `"scope" IN ('global', 'category', 'sku')`)
@Unique('uq_guardrails_scope', ['scope', 'scopeKey'])
export class GuardrailEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  scope!: GuardrailScope;

  /** '' for global, the category for category, the SKU code for sku. */
  @Column({ name: 'scope_key', type: 'varchar', length: 64 })
  scopeKey!: string;

  @Column({ name: 'min_margin_pct', ...percent, nullable: true })
  minMarginPct!: number | null;

  @Column({ name: 'max_change_pct', ...percent, nullable: true })
  maxChangePct!: number | null;

  @Column({ name: 'price_floor', ...money, nullable: true })
  priceFloor!: number | null;

  @Column({ name: 'price_ceiling', ...money, nullable: true })
  priceCeiling!: number | null;

  @Column({ name: 'price_endings', type: 'jsonb', nullable: true })
  priceEndings!: string[] | null;

  @Column({ type: 'boolean', nullable: true })
  frozen!: boolean | null;

  @Column({ name: 'updated_by', type: 'varchar', length: 100 })
  updatedBy!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
