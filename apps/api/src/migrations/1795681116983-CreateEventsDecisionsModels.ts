import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sales, waste, price decisions and price requests are append-only and range-partitioned by day
 * (PartitionManager creates each day's partition before the first write to it); model versions and
 * their aliases are ordinary tables.
 */
export class CreateEventsDecisionsModels1795681116983 implements MigrationInterface {
  name = 'CreateEventsDecisionsModels1795681116983';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "model_versions" ("id" character varying(64) NOT NULL, "sha256" character(64) NOT NULL, "size_bytes" integer NOT NULL, "artifact" bytea, "artifact_uri" text, "card" jsonb NOT NULL, "source" character varying(16) NOT NULL, "created_by" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_b5752ebcbf494cf95f6787bfb4e" UNIQUE ("sha256"), CONSTRAINT "PK_77c0256872dcc26394dba4b87ec" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "model_aliases" ("alias" character varying(32) NOT NULL, "model_version_id" character varying(64) NOT NULL, "updated_by" character varying(100) NOT NULL, "reason" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f30eb06fb7b612261acc8ff8605" PRIMARY KEY ("alias"))`);
    await queryRunner.query(`CREATE TABLE "price_decisions" ("id" uuid NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL, "store_id" character varying(32) NOT NULL, "sku_code" character varying(64) NOT NULL, "price" numeric(12,2) NOT NULL, "currency" character(3) NOT NULL, "list_price" numeric(12,2) NOT NULL, "unit_cost" numeric(12,4) NOT NULL, "variant" character varying(64) NOT NULL, "experiment_id" uuid, "model_version" character varying(64), "reason" character varying(16) NOT NULL, "bound_by" character varying(32), "expected_units" real NOT NULL, "expected_margin" numeric(12,4) NOT NULL, "valid_until" TIMESTAMP WITH TIME ZONE NOT NULL, "days_to_expiry" integer NOT NULL, "stock_units" numeric(12,3) NOT NULL, "features" real array, "detail" jsonb, "fingerprint" character varying(64) NOT NULL, "request_id" character varying(128) NOT NULL, "caller" character varying(100) NOT NULL, CONSTRAINT "PK_aadd4f8e08b7f241885b8d2c1a0" PRIMARY KEY ("id", "decided_at")) PARTITION BY RANGE ("decided_at")`);
    await queryRunner.query(`CREATE INDEX "idx_price_decisions_id" ON "price_decisions"  ("id") `);
    await queryRunner.query(`CREATE INDEX "idx_price_decisions_store_sku_time" ON "price_decisions"  ("store_id", "sku_code", "decided_at") `);
    await queryRunner.query(`CREATE TABLE "price_requests" ("id" uuid NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "request_id" character varying(128) NOT NULL, "caller" character varying(100) NOT NULL, "store_id" character varying(32) NOT NULL, "channel" character varying(32), "customer_hash" character varying(64), "segment" character varying(64), "decision_ids" uuid array NOT NULL, CONSTRAINT "PK_82c853f3cfa17666170db4878c5" PRIMARY KEY ("id", "requested_at")) PARTITION BY RANGE ("requested_at")`);
    await queryRunner.query(`CREATE INDEX "idx_price_requests_store_time" ON "price_requests"  ("store_id", "requested_at") `);
    await queryRunner.query(`CREATE TABLE "sales" ("id" uuid NOT NULL, "sold_at" TIMESTAMP WITH TIME ZONE NOT NULL, "idempotency_key" character varying(128) NOT NULL, "store_id" character varying(32) NOT NULL, "sku_code" character varying(64) NOT NULL, "quantity" numeric(12,3) NOT NULL, "unit_price" numeric(12,2) NOT NULL, "decision_id" uuid, "customer_hash" character varying(64), "segment" character varying(64), "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fc64125f7647fc09d5eceba5aea" PRIMARY KEY ("id", "sold_at")) PARTITION BY RANGE ("sold_at")`);
    await queryRunner.query(`CREATE INDEX "idx_sales_decision" ON "sales"  ("decision_id") `);
    await queryRunner.query(`CREATE INDEX "idx_sales_store_sku_time" ON "sales"  ("store_id", "sku_code", "sold_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_sales_idempotency" ON "sales"  ("idempotency_key", "sold_at") `);
    await queryRunner.query(`CREATE TABLE "waste_events" ("id" uuid NOT NULL, "wasted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "idempotency_key" character varying(128) NOT NULL, "store_id" character varying(32) NOT NULL, "sku_code" character varying(64) NOT NULL, "quantity" numeric(12,3) NOT NULL, "unit_cost" numeric(12,4) NOT NULL, "reason" character varying(32) NOT NULL, "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8c4d9193b36279e99560b4814ad" PRIMARY KEY ("id", "wasted_at")) PARTITION BY RANGE ("wasted_at")`);
    await queryRunner.query(`CREATE INDEX "idx_waste_events_store_sku_time" ON "waste_events"  ("store_id", "sku_code", "wasted_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_waste_events_idempotency" ON "waste_events"  ("idempotency_key", "wasted_at") `);
    await queryRunner.query(`ALTER TABLE "model_aliases" ADD CONSTRAINT "FK_5b266f3afd20453c5915f52377e" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_aliases" DROP CONSTRAINT "FK_5b266f3afd20453c5915f52377e"`);
    await queryRunner.query(`DROP INDEX "uq_waste_events_idempotency"`);
    await queryRunner.query(`DROP INDEX "idx_waste_events_store_sku_time"`);
    await queryRunner.query(`DROP TABLE "waste_events"`);
    await queryRunner.query(`DROP INDEX "uq_sales_idempotency"`);
    await queryRunner.query(`DROP INDEX "idx_sales_store_sku_time"`);
    await queryRunner.query(`DROP INDEX "idx_sales_decision"`);
    await queryRunner.query(`DROP TABLE "sales"`);
    await queryRunner.query(`DROP INDEX "idx_price_requests_store_time"`);
    await queryRunner.query(`DROP TABLE "price_requests"`);
    await queryRunner.query(`DROP INDEX "idx_price_decisions_store_sku_time"`);
    await queryRunner.query(`DROP INDEX "idx_price_decisions_id"`);
    await queryRunner.query(`DROP TABLE "price_decisions"`);
    await queryRunner.query(`DROP TABLE "model_aliases"`);
    await queryRunner.query(`DROP TABLE "model_versions"`);
  }
}
