import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AccessAndAudit1795684531807 implements MigrationInterface {
  name = 'AccessAndAudit1795684531807';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_log" ("id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "request_id" character varying(128) NOT NULL, "caller" character varying(100) NOT NULL, "caller_kind" character varying(16) NOT NULL, "caller_id" character varying(128), "role" character varying(32), "method" character varying(10) NOT NULL, "route" character varying(300) NOT NULL, "status" smallint NOT NULL, "detail" character varying(200), "payload_hash" character varying(64), "source_ip" character varying(64) NOT NULL, "duration_ms" real NOT NULL, "decision_ids" uuid array, "store_ids" character varying(32) array, "sku_codes" character varying(64) array, CONSTRAINT "PK_57413b6472a19160df0c042426d" PRIMARY KEY ("id", "at")) PARTITION BY RANGE ("at")`);
    await queryRunner.query(`CREATE INDEX "idx_audit_log_caller_time" ON "audit_log"  ("caller", "at") `);
    await queryRunner.query(`CREATE INDEX "idx_audit_log_time" ON "audit_log"  ("at", "id") `);
    // Filters by store and SKU look inside arrays (not managed by TypeORM: `synchronize: false`).
    await queryRunner.query(`CREATE INDEX "idx_audit_log_store_ids" ON "audit_log" USING gin ("store_ids")`);
    await queryRunner.query(`CREATE INDEX "idx_audit_log_sku_codes" ON "audit_log" USING gin ("sku_codes")`);
    // Append-only: rows are never changed or deleted; retention drops whole day partitions.
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`,
    );
    await queryRunner.query(`CREATE TRIGGER "audit_log_no_change" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await queryRunner.query(`CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    await queryRunner.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL, "name" character varying(100) NOT NULL, "prefix" character varying(40) NOT NULL, "key_hash" character varying(64) NOT NULL, "role" character varying(32) NOT NULL, "store_ids" character varying(32) array, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by" character varying(100) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_6f6105c8efe05b310d046cbdb3d" UNIQUE ("prefix"), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL, "email" character varying(254) NOT NULL, "role" character varying(32) NOT NULL, "password_hash" character varying(255) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by" character varying(100) NOT NULL, "disabled_at" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "auth_sessions" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_641507381f32580e8479efc36cd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_auth_sessions_expires" ON "auth_sessions"  ("expires_at") `);
    await queryRunner.query(`CREATE INDEX "idx_auth_sessions_user" ON "auth_sessions"  ("user_id") `);
    await queryRunner.query(`ALTER TABLE "auth_sessions" ADD CONSTRAINT "FK_50ccaa6440288a06f0ba693ccc6" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "auth_sessions" DROP CONSTRAINT "FK_50ccaa6440288a06f0ba693ccc6"`);
    await queryRunner.query(`DROP INDEX "idx_auth_sessions_user"`);
    await queryRunner.query(`DROP INDEX "idx_auth_sessions_expires"`);
    await queryRunner.query(`DROP TABLE "auth_sessions"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`DROP TRIGGER "audit_log_no_truncate" ON "audit_log"`);
    await queryRunner.query(`DROP TRIGGER "audit_log_no_change" ON "audit_log"`);
    await queryRunner.query(`DROP FUNCTION audit_log_append_only()`);
    await queryRunner.query(`DROP INDEX "idx_audit_log_sku_codes"`);
    await queryRunner.query(`DROP INDEX "idx_audit_log_store_ids"`);
    await queryRunner.query(`DROP INDEX "idx_audit_log_time"`);
    await queryRunner.query(`DROP INDEX "idx_audit_log_caller_time"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
