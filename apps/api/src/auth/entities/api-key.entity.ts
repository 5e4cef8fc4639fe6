import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A machine credential. The key itself is shown once at creation; only its SHA-256 is stored, with
 * its public prefix (`dp_…`) for lookup and display.
 */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 40, unique: true })
  prefix!: string;

  /** SHA-256 of the whole key, hex. */
  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash!: string;

  @Column({ type: 'varchar', length: 32 })
  role!: string;

  /** Stores the key may price and report for; null: every store. */
  @Column({ name: 'store_ids', type: 'varchar', length: 32, array: true, nullable: true })
  storeIds!: string[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 100 })
  createdBy!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
