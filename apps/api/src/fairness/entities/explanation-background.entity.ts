import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The background sample against which decisions of a model without node covers are explained
 * (interventional TreeSHAP). Chosen once per model version and kept, so that every explanation of that
 * version can be recomputed exactly.
 */
@Entity({ name: 'explanation_backgrounds' })
export class ExplanationBackgroundEntity {
  @PrimaryColumn({ name: 'model_version', type: 'varchar', length: 64 })
  modelVersion!: string;

  /** Feature rows (null = missing), in the model's column order. */
  @Column({ type: 'jsonb' })
  rows!: Array<Array<number | null>>;

  @Column({ name: 'row_count', type: 'integer' })
  rowCount!: number;

  /** How the rows were chosen. */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
