import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelVersionEntity } from './model-version.entity';

/** One move of an alias (promote or roll back): who, why, from which version to which. Append-only. */
@Entity({ name: 'model_alias_events' })
@Check('ck_model_alias_events_action', `"action" IN ('promote', 'rollback')`)
@Index('idx_model_alias_events_alias_at', ['alias', 'at'])
export class ModelAliasEventEntity {
  /** UUIDv7: ordered like `at`. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  alias!: string;

  @Column({ type: 'varchar', length: 16 })
  action!: string;

  /** The version the alias pointed to before (null: the alias was unset). */
  @Column({ name: 'from_version_id', type: 'varchar', length: 64, nullable: true })
  fromVersionId!: string | null;

  @ManyToOne(() => ModelVersionEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'from_version_id' })
  fromVersion?: ModelVersionEntity | null;

  @Column({ name: 'to_version_id', type: 'varchar', length: 64 })
  toVersionId!: string;

  @ManyToOne(() => ModelVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_version_id' })
  toVersion?: ModelVersionEntity;

  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
