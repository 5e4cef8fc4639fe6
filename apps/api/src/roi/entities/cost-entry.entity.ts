import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { numericTransformer } from '../../database/column-types';

const amount = { type: 'numeric', precision: 14, scale: 2, transformer: numericTransformer, nullable: true } as const;

/** A stored, editable cost line of the ROI report (cloud, development, operations), per month or one-off. */
@Entity({ name: 'roi_cost_entries' })
@Check('ck_roi_cost_entries_category', `"category" IN ('cloud', 'development', 'operations')`)
export class CostEntryEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  category!: 'cloud' | 'development' | 'operations';

  @Column({ type: 'text', default: '' })
  description!: string;

  /** monthly | one_off */
  @Column({ type: 'varchar', length: 8 })
  recurrence!: 'monthly' | 'one_off';

  @Column({ ...amount })
  amount!: number | null;

  @Column({ type: 'numeric', precision: 10, scale: 2, transformer: numericTransformer, nullable: true })
  hours!: number | null;

  @Column({ name: 'hourly_rate', ...amount })
  hourlyRate!: number | null;

  /** `YYYY-MM`. */
  @Column({ name: 'effective_from', type: 'char', length: 7 })
  effectiveFrom!: string;

  @Column({ name: 'effective_to', type: 'char', length: 7, nullable: true })
  effectiveTo!: string | null;

  /** Attributes the cost wholly to one experiment; null: shared. */
  @Column({ name: 'experiment_id', type: 'uuid', nullable: true })
  experimentId!: string | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'created_by', type: 'varchar', length: 100 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 100 })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
