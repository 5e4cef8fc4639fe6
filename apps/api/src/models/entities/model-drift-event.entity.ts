import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelVersionEntity } from './model-version.entity';
import { ModelRetrainingRunEntity } from './model-retraining-run.entity';

/** A served model's live features crossed the PSI threshold (raised once per drift episode and instance). */
@Entity({ name: 'model_drift_events' })
@Index('idx_model_drift_events_version_detected', ['modelVersionId', 'detectedAt'])
export class ModelDriftEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'model_version_id', type: 'varchar', length: 64 })
  modelVersionId!: string;

  @ManyToOne(() => ModelVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'model_version_id' })
  modelVersion?: ModelVersionEntity;

  /** Business time (the API clock) of the check that found the drift. */
  @Column({ name: 'detected_at', type: 'timestamptz' })
  detectedAt!: Date;

  /** Drifted features with their PSI and KS, and the window's row count. */
  @Column({ type: 'jsonb' })
  report!: Record<string, unknown>;

  /** The retraining run it queued (or joined), if retraining on drift is on. */
  @Column({ name: 'retraining_run_id', type: 'uuid', nullable: true })
  retrainingRunId!: string | null;

  @ManyToOne(() => ModelRetrainingRunEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'retraining_run_id' })
  retrainingRun?: ModelRetrainingRunEntity | null;

  @Column({ type: 'varchar', length: 200 })
  instance!: string;
}
