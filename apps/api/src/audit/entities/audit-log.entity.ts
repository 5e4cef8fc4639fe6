import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per HTTP call: who, what, outcome. Append-only (a trigger refuses UPDATE, DELETE and
 * TRUNCATE), partitioned by UTC day of `at`; whole days past AUDIT_RETENTION_DAYS are dropped.
 * Request bodies are never stored: only their keyed hash.
 */
@Entity({ name: 'audit_log' })
@Index('idx_audit_log_time', ['at', 'id'])
@Index('idx_audit_log_caller_time', ['caller', 'at'])
@Index('idx_audit_log_store_ids', { synchronize: false })
@Index('idx_audit_log_sku_codes', { synchronize: false })
export class AuditLogEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @PrimaryColumn({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'request_id', type: 'varchar', length: 128 })
  requestId!: string;

  /** `key:<prefix>`, `user:<email>`, `oidc:<subject>` or `anonymous`. */
  @Column({ type: 'varchar', length: 100 })
  caller!: string;

  @Column({ name: 'caller_kind', type: 'varchar', length: 16 })
  callerKind!: string;

  /** API key id, user id or OIDC subject. */
  @Column({ name: 'caller_id', type: 'varchar', length: 128, nullable: true })
  callerId!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  role!: string | null;

  @Column({ type: 'varchar', length: 10 })
  method!: string;

  /** The route pattern (`/v1/stores/:id`), never the raw URL; `unmatched` when no route matched. */
  @Column({ type: 'varchar', length: 300 })
  route!: string;

  @Column({ type: 'smallint' })
  status!: number;

  /** Why a call was refused (401 / 403 / 429), in a few words. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  detail!: string | null;

  /** HMAC-SHA256 of the raw request body (hex); null without a body. */
  @Column({ name: 'payload_hash', type: 'varchar', length: 64, nullable: true })
  payloadHash!: string | null;

  @Column({ name: 'source_ip', type: 'varchar', length: 64 })
  sourceIp!: string;

  @Column({ name: 'duration_ms', type: 'real' })
  durationMs!: number;

  /**
   * A priced answer's request record (price_requests, keyed by id and requested_at): the decision ids
   * the call was served are there, written once.
   */
  @Column({ name: 'price_request_id', type: 'uuid', nullable: true })
  priceRequestId!: string | null;

  @Column({ name: 'price_requested_at', type: 'timestamptz', nullable: true })
  priceRequestedAt!: Date | null;

  /**
   * Price decisions served by the call, as rows written before the AuditLinksPriceRequest migration
   * carry them (the table is append-only: they keep them). Newer rows leave it empty and link the
   * request record instead.
   */
  @Column({ name: 'decision_ids', type: 'uuid', array: true, nullable: true })
  decisionIds!: string[] | null;

  @Column({ name: 'store_ids', type: 'varchar', length: 32, array: true, nullable: true })
  storeIds!: string[] | null;

  @Column({ name: 'sku_codes', type: 'varchar', length: 64, array: true, nullable: true })
  skuCodes!: string[] | null;
}
