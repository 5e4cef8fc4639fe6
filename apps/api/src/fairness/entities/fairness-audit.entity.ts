import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One fairness audit (SPEC §8): its inputs (window, attributes, thresholds, counterfactual sample) and its
 * results (offered and paid price indexes per segment, raw and stratified, KS, counterfactual check),
 * stored as run, never changed.
 */
@Entity({ name: 'fairness_audits' })
@Check('ck_fairness_audits_status', `"status" IN ('pass', 'fail', 'insufficient-data')`)
@Check('ck_fairness_audits_trigger', `"trigger" IN ('manual', 'schedule')`)
@Index('idx_fairness_audits_finished', ['finishedAt'])
export class FairnessAuditEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Deduplicates scheduled runs across instances (`schedule:<instant>`); null for on-demand audits. */
  @Column({ name: 'run_key', type: 'varchar', length: 100, nullable: true, unique: true })
  runKey!: string | null;

  @Column({ type: 'varchar', length: 16 })
  trigger!: string;

  @Column({ type: 'varchar', length: 24 })
  status!: string;

  @Column({ name: 'window_from', type: 'timestamptz' })
  windowFrom!: Date;

  @Column({ name: 'window_to', type: 'timestamptz' })
  windowTo!: Date;

  @Column({ name: 'requested_by', type: 'varchar', length: 100 })
  requestedBy!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt!: Date;

  /** Attributes with their sources and strata, thresholds, bootstrap, counterfactual sample size. */
  @Column({ type: 'jsonb' })
  inputs!: Record<string, unknown>;

  /** Offered and paid audits, the counterfactual check, reasons. */
  @Column({ type: 'jsonb' })
  results!: Record<string, unknown>;
}
