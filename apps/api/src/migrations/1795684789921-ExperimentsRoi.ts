import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Experiments with their versioned history (one row per recorded change), ROI cost entries and entered outcomes. */
export class ExperimentsRoi1795684789921 implements MigrationInterface {
  name = 'ExperimentsRoi1795684789921';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "experiments" ("id" uuid NOT NULL, "name" character varying(200) NOT NULL, "hypothesis" text NOT NULL DEFAULT '', "unit" character varying(16) NOT NULL, "salt" character varying(100) NOT NULL, "hash_version" smallint NOT NULL DEFAULT '2', "coverage" double precision NOT NULL DEFAULT '1', "scope" jsonb NOT NULL DEFAULT '{}', "variants" jsonb NOT NULL, "control_variant" character varying(32) NOT NULL, "guardrails" jsonb NOT NULL DEFAULT '[]', "sequential_mixing_effect" double precision NOT NULL DEFAULT '0.05', "pre_period_days" integer NOT NULL DEFAULT '14', "status" character varying(16) NOT NULL, "version" integer NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE, "started_at" TIMESTAMP WITH TIME ZONE, "stopped_at" TIMESTAMP WITH TIME ZONE, "shipped_variant" character varying(32), "fallbacks" jsonb NOT NULL DEFAULT '[]', "sequential" jsonb, "guardrails_checked_at" TIMESTAMP WITH TIME ZONE, "created_by" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_experiments_status" CHECK ("status" IN ('draft', 'running', 'stopped', 'shipped', 'rolled_back')), CONSTRAINT "PK_aafe1321d916fac58ba06ad8178" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_experiments_status" ON "experiments"  ("status") `);
    await queryRunner.query(`CREATE TABLE "experiment_history" ("id" uuid NOT NULL, "experiment_id" uuid NOT NULL, "version" integer NOT NULL, "action" character varying(16) NOT NULL, "actor" character varying(100) NOT NULL, "reason" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "changes" jsonb NOT NULL DEFAULT '[]', "snapshot" jsonb NOT NULL, CONSTRAINT "PK_6dfe30290521a09b4b4cd41ee36" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_experiment_history_version" ON "experiment_history"  ("experiment_id", "version") `);
    await queryRunner.query(`CREATE TABLE "roi_cost_entries" ("id" uuid NOT NULL, "category" character varying(16) NOT NULL, "description" text NOT NULL DEFAULT '', "recurrence" character varying(8) NOT NULL, "amount" numeric(14,2), "hours" numeric(10,2), "hourly_rate" numeric(14,2), "effective_from" character(7) NOT NULL, "effective_to" character(7), "experiment_id" uuid, "version" integer NOT NULL DEFAULT '1', "created_by" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_by" character varying(100) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_roi_cost_entries_category" CHECK ("category" IN ('cloud', 'development', 'operations')), CONSTRAINT "PK_92382ddc3a00079c365cb50f2ec" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "roi_outcomes" ("id" uuid NOT NULL, "period" character varying(7) NOT NULL, "description" text NOT NULL DEFAULT '', "baseline" numeric(16,2) NOT NULL, "relative_lift" double precision NOT NULL, "scale_to_business" double precision, "decisions" bigint, "experiment_id" uuid, "created_by" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_165f2a67ae48dbe0ed4e645f814" PRIMARY KEY ("id"))`);
    await queryRunner.query(`ALTER TABLE "experiment_history" ADD CONSTRAINT "FK_bede45bbbb454abf308d26503bd" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "experiment_history" DROP CONSTRAINT "FK_bede45bbbb454abf308d26503bd"`);
    await queryRunner.query(`DROP TABLE "roi_outcomes"`);
    await queryRunner.query(`DROP TABLE "roi_cost_entries"`);
    await queryRunner.query(`DROP INDEX "uq_experiment_history_version"`);
    await queryRunner.query(`DROP TABLE "experiment_history"`);
    await queryRunner.query(`DROP INDEX "idx_experiments_status"`);
    await queryRunner.query(`DROP TABLE "experiments"`);
  }
}
