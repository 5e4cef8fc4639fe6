import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An immutable demand model: the ONNX bytes (embedded mode) or where they are stored, and its card. */
@Entity({ name: 'model_versions' })
export class ModelVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'char', length: 64, unique: true })
  sha256!: string;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  /** The artifact itself, when stored in the database (embedded mode). */
  @Column({ type: 'bytea', nullable: true, select: false })
  artifact!: Buffer | null;

  /** file:// or s3:// location, when stored outside the database. */
  @Column({ name: 'artifact_uri', type: 'text', nullable: true })
  artifactUri!: string | null;

  @Column({ type: 'jsonb' })
  card!: Record<string, unknown>;

  /** 'trainer' (built here) or 'upload' (brought from elsewhere). */
  @Column({ type: 'varchar', length: 16 })
  source!: string;

  @Column({ name: 'created_by', type: 'varchar', length: 100 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
