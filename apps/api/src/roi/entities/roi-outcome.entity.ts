import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { numericTransformer } from '../../database/column-types';

/**
 * A business outcome entered by finance for a month or a quarter (baseline gross profit and the
 * model-driven lift), for periods measured outside Dynaprice's own experiments (e.g. before go-live,
 * or the book's case study). Measured experiment outcomes are computed, not stored.
 */
@Entity({ name: 'roi_outcomes' })
export class RoiOutcomeEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** `YYYY-MM` or `YYYY-Qn`. */
  @Column({ type: 'varchar', length: 7 })
  period!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'numeric', precision: 16, scale: 2, transformer: numericTransformer })
  baseline!: number;

  @Column({ name: 'relative_lift', type: 'double precision' })
  relativeLift!: number;

  @Column({ name: 'scale_to_business', type: 'double precision', nullable: true })
  scaleToBusiness!: number | null;

  @Column({ type: 'bigint', nullable: true, transformer: numericTransformer })
  decisions!: number | null;

  @Column({ name: 'experiment_id', type: 'uuid', nullable: true })
  experimentId!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 100 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
