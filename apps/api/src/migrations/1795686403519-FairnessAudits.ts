import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fairness audits (inputs and results), the daily audit's schedule, and explanation background samples. */
export class FairnessAudits1795686403519 implements MigrationInterface {
  name = 'FairnessAudits1795686403519';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "explanation_backgrounds" ("model_version" character varying(64) NOT NULL, "rows" jsonb NOT NULL, "row_count" integer NOT NULL, "source" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0218b9b043a1a704c83e328d145" PRIMARY KEY ("model_version"))`);
    await queryRunner.query(`CREATE TABLE "fairness_audits" ("id" uuid NOT NULL, "run_key" character varying(100), "trigger" character varying(16) NOT NULL, "status" character varying(24) NOT NULL, "window_from" TIMESTAMP WITH TIME ZONE NOT NULL, "window_to" TIMESTAMP WITH TIME ZONE NOT NULL, "requested_by" character varying(100) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL, "inputs" jsonb NOT NULL, "results" jsonb NOT NULL, CONSTRAINT "UQ_9098f88c66234cadcbaff41731a" UNIQUE ("run_key"), CONSTRAINT "ck_fairness_audits_trigger" CHECK ("trigger" IN ('manual', 'schedule')), CONSTRAINT "ck_fairness_audits_status" CHECK ("status" IN ('pass', 'fail', 'insufficient-data')), CONSTRAINT "PK_de2cb7a752081edf2fd32383a90" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_fairness_audits_finished" ON "fairness_audits"  ("finished_at") `);
    await queryRunner.query(`CREATE TABLE "fairness_schedule" ("id" smallint NOT NULL, "enabled" boolean NOT NULL, "at_minute" integer NOT NULL, "window_days" integer NOT NULL, "settings" jsonb NOT NULL, "updated_by" character varying(100) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_fairness_schedule_singleton" CHECK ("id" = 1), CONSTRAINT "PK_295274eb722d1a6535d65258cbd" PRIMARY KEY ("id"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "fairness_schedule"`);
    await queryRunner.query(`DROP INDEX "idx_fairness_audits_finished"`);
    await queryRunner.query(`DROP TABLE "fairness_audits"`);
    await queryRunner.query(`DROP TABLE "explanation_backgrounds"`);
  }
}
