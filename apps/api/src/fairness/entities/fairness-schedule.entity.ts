import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The daily fairness audit's settings: one row (id 1), shared by every instance, changed through the API. */
@Entity({ name: 'fairness_schedule' })
@Check('ck_fairness_schedule_singleton', `"id" = 1`)
export class FairnessScheduleEntity {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  /** Minutes past midnight UTC (business time) of the daily run. */
  @Column({ name: 'at_minute', type: 'integer' })
  atMinute!: number;

  /** Days of data each scheduled audit covers, ending at the run. */
  @Column({ name: 'window_days', type: 'integer' })
  windowDays!: number;

  /** Audit settings of the scheduled runs (attributes, thresholds, counterfactual sample). */
  @Column({ type: 'jsonb' })
  settings!: Record<string, unknown>;

  @Column({ name: 'updated_by', type: 'varchar', length: 100 })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
