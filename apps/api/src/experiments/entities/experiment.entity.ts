import type { DailyLooks } from '@dynaprice/experiments';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A variant as stored: legacy pricing, or a model by alias (`champion`, `challenger`) or pinned version id. */
export interface StoredVariant {
  key: string;
  weight: number;
  kind: 'legacy' | 'model';
  /** For model variants: `champion`, `challenger` or a model version id. */
  model?: string;
}

export interface StoredGuardrail {
  metric: 'marginPerExposure' | 'unitsPerExposure' | 'revenuePerExposure' | 'wastePerExposure' | 'wasteRate';
  tolerance: number;
  direction?: 'higher_is_better' | 'lower_is_better';
  /** τ of the guardrail's sequential test: the size of regression it is tuned to catch. */
  mixingEffect?: number;
}

/** A treatment that a guardrail sent back to legacy pricing. */
export interface StoredFallback {
  variant: string;
  at: string;
  metrics: string[];
  reason: string;
}

export type ExperimentStatus = 'draft' | 'running' | 'stopped' | 'shipped' | 'rolled_back';

/**
 * An A/B experiment (SPEC §7). The assignment (unit, salt, hash version, coverage, variants and
 * weights) is plain data; every change is versioned in experiment_history.
 */
@Entity({ name: 'experiments' })
@Index('idx_experiments_status', ['status'])
@Check('ck_experiments_status', `"status" IN ('draft', 'running', 'stopped', 'shipped', 'rolled_back')`)
export class ExperimentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text', default: '' })
  hypothesis!: string;

  /** store | store_sku | customer */
  @Column({ type: 'varchar', length: 16 })
  unit!: string;

  @Column({ type: 'varchar', length: 100 })
  salt!: string;

  @Column({ name: 'hash_version', type: 'smallint', default: 2 })
  hashVersion!: number;

  @Column({ type: 'double precision', default: 1 })
  coverage!: number;

  /** `{ storeIds?, categories? }`: absent lists mean all. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  scope!: { storeIds?: string[]; categories?: string[] };

  @Column({ type: 'jsonb' })
  variants!: StoredVariant[];

  @Column({ name: 'control_variant', type: 'varchar', length: 32 })
  controlVariant!: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  guardrails!: StoredGuardrail[];

  /** τ of the primary sequential test on the relative lift: the smallest lift worth detecting. */
  @Column({ name: 'sequential_mixing_effect', type: 'double precision', default: 0.05 })
  sequentialMixingEffect!: number;

  /** Days before the start whose margin is the CUPED covariate; 0 turns CUPED off. */
  @Column({ name: 'pre_period_days', type: 'integer', default: 14 })
  prePeriodDays!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: ExperimentStatus;

  /** Bumped by every recorded change (experiment_history has one row per version). */
  @Column({ type: 'integer' })
  version!: number;

  /** Planned end: the experiment stops by itself then. */
  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  /** When it stopped running (stop, ship, roll back or its planned end). */
  @Column({ name: 'stopped_at', type: 'timestamptz', nullable: true })
  stoppedAt!: Date | null;

  /** After ship: the variant that prices the scope; after roll back: the control. */
  @Column({ name: 'shipped_variant', type: 'varchar', length: 32, nullable: true })
  shippedVariant!: string | null;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  fallbacks!: StoredFallback[];

  /** The carried state of the sequential tests (see DailyLooks in @dynaprice/experiments). */
  @Column({ type: 'jsonb', nullable: true })
  sequential!: DailyLooks | null;

  @Column({ name: 'guardrails_checked_at', type: 'timestamptz', nullable: true })
  guardrailsCheckedAt!: Date | null;

  @Column({ name: 'created_by', type: 'varchar', length: 100 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
