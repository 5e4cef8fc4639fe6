import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ExperimentDto } from '../dto/experiment.dto';
import { ExperimentEntity } from './experiment.entity';

/** The experiment as it stood after a change (everything but the carried statistics). */
export type ExperimentSnapshot = Omit<ExperimentDto, 'guardrailsCheckedAt'>;

/**
 * One recorded change of an experiment: created, edited (a new version of a running experiment),
 * started, stopped, shipped, rolled back, or a guardrail fallback — who, when, why, and the
 * definition as it stood afterwards. Append-only.
 */
@Entity({ name: 'experiment_history' })
@Index('uq_experiment_history_version', ['experimentId', 'version'], { unique: true })
export class ExperimentHistoryEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'experiment_id', type: 'uuid' })
  experimentId!: string;

  @ManyToOne(() => ExperimentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'experiment_id' })
  experiment?: ExperimentEntity;

  @Column({ type: 'integer' })
  version!: number;

  /** create | update | start | stop | ship | rollback | fallback | end */
  @Column({ type: 'varchar', length: 16 })
  action!: string;

  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** The fields this change touched (update), for a readable history. */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  changes!: string[];

  /** The experiment as it stood after the change. */
  @Column({ type: 'jsonb' })
  snapshot!: ExperimentSnapshot;
}
