import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alias history, retraining runs and drift events; and model versions made immutable in the database
 * itself: a trigger refuses every UPDATE of model_versions (a version is its bytes and its card).
 */
export class ModelLifecycle1795684431369 implements MigrationInterface {
  name = 'ModelLifecycle1795684431369';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "model_alias_events" ("id" uuid NOT NULL, "alias" character varying(32) NOT NULL, "action" character varying(16) NOT NULL, "from_version_id" character varying(64), "to_version_id" character varying(64) NOT NULL, "actor" character varying(100) NOT NULL, "reason" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_model_alias_events_action" CHECK ("action" IN ('promote', 'rollback')), CONSTRAINT "PK_f64740dd3e3a3b4069231f6289f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_model_alias_events_alias_at" ON "model_alias_events"  ("alias", "at") `);
    await queryRunner.query(`CREATE TABLE "model_retraining_runs" ("id" uuid NOT NULL, "run_key" character varying(160) NOT NULL, "trigger" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "reason" text NOT NULL, "requested_by" character varying(100) NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "instance" character varying(200), "model_version_id" character varying(64), "error" text, "detail" jsonb, CONSTRAINT "UQ_17f184894d3f78d201769ef7692" UNIQUE ("run_key"), CONSTRAINT "ck_model_retraining_runs_status" CHECK ("status" IN ('queued', 'running', 'succeeded', 'failed')), CONSTRAINT "ck_model_retraining_runs_trigger" CHECK ("trigger" IN ('nightly', 'drift', 'manual')), CONSTRAINT "PK_95b44294002ae4a68db1bca9d40" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_model_retraining_runs_status_requested" ON "model_retraining_runs"  ("status", "requested_at") `);
    await queryRunner.query(`CREATE TABLE "model_drift_events" ("id" uuid NOT NULL, "model_version_id" character varying(64) NOT NULL, "detected_at" TIMESTAMP WITH TIME ZONE NOT NULL, "report" jsonb NOT NULL, "retraining_run_id" uuid, "instance" character varying(200) NOT NULL, CONSTRAINT "PK_d4adf462654d3c6862958d593a7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_model_drift_events_version_detected" ON "model_drift_events"  ("model_version_id", "detected_at") `);
    await queryRunner.query(`ALTER TABLE "model_alias_events" ADD CONSTRAINT "FK_729527cfe75b7a6242a8f9fbf67" FOREIGN KEY ("from_version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "model_alias_events" ADD CONSTRAINT "FK_5e2142369baeba7c5a46e97babc" FOREIGN KEY ("to_version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "model_retraining_runs" ADD CONSTRAINT "FK_b9b59be1e895a02c76d3beecb31" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "model_drift_events" ADD CONSTRAINT "FK_daacb64d8f0b0a8c814f7f0bafa" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "model_drift_events" ADD CONSTRAINT "FK_bd835b6baf15d04453105946b30" FOREIGN KEY ("retraining_run_id") REFERENCES "model_retraining_runs"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`CREATE FUNCTION "model_versions_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'model version % is immutable', OLD."id" USING ERRCODE = 'restrict_violation'; END $$`);
    await queryRunner.query(`CREATE TRIGGER "trg_model_versions_immutable" BEFORE UPDATE ON "model_versions" FOR EACH ROW EXECUTE FUNCTION "model_versions_immutable"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "trg_model_versions_immutable" ON "model_versions"`);
    await queryRunner.query(`DROP FUNCTION "model_versions_immutable"()`);
    await queryRunner.query(`ALTER TABLE "model_drift_events" DROP CONSTRAINT "FK_bd835b6baf15d04453105946b30"`);
    await queryRunner.query(`ALTER TABLE "model_drift_events" DROP CONSTRAINT "FK_daacb64d8f0b0a8c814f7f0bafa"`);
    await queryRunner.query(`ALTER TABLE "model_retraining_runs" DROP CONSTRAINT "FK_b9b59be1e895a02c76d3beecb31"`);
    await queryRunner.query(`ALTER TABLE "model_alias_events" DROP CONSTRAINT "FK_5e2142369baeba7c5a46e97babc"`);
    await queryRunner.query(`ALTER TABLE "model_alias_events" DROP CONSTRAINT "FK_729527cfe75b7a6242a8f9fbf67"`);
    await queryRunner.query(`DROP INDEX "idx_model_drift_events_version_detected"`);
    await queryRunner.query(`DROP TABLE "model_drift_events"`);
    await queryRunner.query(`DROP INDEX "idx_model_retraining_runs_status_requested"`);
    await queryRunner.query(`DROP TABLE "model_retraining_runs"`);
    await queryRunner.query(`DROP INDEX "idx_model_alias_events_alias_at"`);
    await queryRunner.query(`DROP TABLE "model_alias_events"`);
  }
}
