import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelVersionEntity } from './model-version.entity';

/**
 * One retraining run: queued by the nightly schedule, by drift or by hand, executed by exactly one API
 * instance (the one holding the retraining advisory lock), ending with a challenger or an error.
 */
@Entity({ name: 'model_retraining_runs' })
@Check('ck_model_retraining_runs_trigger', `"trigger" IN ('nightly', 'drift', 'manual')`)
@Check('ck_model_retraining_runs_status', `"status" IN ('queued', 'running', 'succeeded', 'failed')`)
@Index('idx_model_retraining_runs_status_requested', ['status', 'requestedAt'])
export class ModelRetrainingRunEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Deduplicates requests: `nightly:<day>`, `drift:<version>:<day>`, `manual:<id>`. */
  @Column({ name: 'run_key', type: 'varchar', length: 160, unique: true })
  runKey!: string;

  @Column({ type: 'varchar', length: 16 })
  trigger!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'requested_by', type: 'varchar', length: 100 })
  requestedBy!: string;

  @Column({ name: 'requested_at', type: 'timestamptz', default: () => 'now()' })
  requestedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** The API instance that ran it (host:pid:id). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  instance!: string | null;

  /** The challenger it produced. */
  @Column({ name: 'model_version_id', type: 'varchar', length: 64, nullable: true })
  modelVersionId!: string | null;

  @ManyToOne(() => ModelVersionEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'model_version_id' })
  modelVersion?: ModelVersionEntity | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** Training window and rows, seconds, drifted features of a drift trigger. */
  @Column({ type: 'jsonb', nullable: true })
  detail!: Record<string, unknown> | null;
}
