import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { cost, money, quantity } from '../../database/column-types';

/**
 * One priced store × SKU: the audit trail of pricing. Append-only and partitioned by day of
 * `decidedAt`; the id is a UUIDv7 whose timestamp equals `decidedAt`, so a lookup by id alone can be
 * pruned to one partition.
 */
@Entity({ name: 'price_decisions' })
@Index('idx_price_decisions_store_sku_time', ['storeId', 'skuCode', 'decidedAt'])
@Index('idx_price_decisions_id', ['id'])
@Index('idx_price_decisions_store_day', ['storeDay', 'storeId', 'skuCode'])
export class PriceDecisionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @PrimaryColumn({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;

  @Column({ name: 'store_id', type: 'varchar', length: 32 })
  storeId!: string;

  @Column({ name: 'sku_code', type: 'varchar', length: 64 })
  skuCode!: string;

  @Column({ ...money })
  price!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'list_price', ...money })
  listPrice!: number;

  @Column({ name: 'unit_cost', ...cost })
  unitCost!: number;

  /** Experiment variant name ('legacy', 'model', …); 'default' outside experiments. */
  @Column({ type: 'varchar', length: 64 })
  variant!: string;

  @Column({ name: 'experiment_id', type: 'uuid', nullable: true })
  experimentId!: string | null;

  @Column({ name: 'model_version', type: 'varchar', length: 64, nullable: true })
  modelVersion!: string | null;

  /** model | legacy | override | guardrail | fallback */
  @Column({ type: 'varchar', length: 16 })
  reason!: string;

  @Column({ name: 'bound_by', type: 'varchar', length: 32, nullable: true })
  boundBy!: string | null;

  @Column({ name: 'expected_units', type: 'real' })
  expectedUnits!: number;

  @Column({ name: 'expected_margin', ...cost })
  expectedMargin!: number;

  @Column({ name: 'valid_until', type: 'timestamptz' })
  validUntil!: Date;

  /** The store's local calendar day the decision was made on (reports and training group by it). */
  @Column({ name: 'store_day', type: 'date' })
  storeDay!: string;

  @Column({ name: 'days_to_expiry', type: 'integer' })
  daysToExpiry!: number;

  @Column({ name: 'stock_units', ...quantity })
  stockUnits!: number;

  /** The demand model's input row at the chosen price: explanations and training are recomputed from it. */
  @Column({ type: 'real', array: true, nullable: true })
  features!: number[] | null;

  /** Runner-up candidates and the guardrails that bound the price (explanations). */
  @Column({ type: 'jsonb', nullable: true })
  detail!: Record<string, unknown> | null;

  /** Hash of everything that priced it: a request with the same fingerprint reuses the decision. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;

  @Column({ name: 'request_id', type: 'varchar', length: 128 })
  requestId!: string;

  @Column({ type: 'varchar', length: 100 })
  caller!: string;
}
