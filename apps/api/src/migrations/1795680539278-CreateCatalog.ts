import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCatalog1795680539278 implements MigrationInterface {
  name = 'CreateCatalog1795680539278';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "guardrails" ("id" uuid NOT NULL, "scope" character varying(16) NOT NULL, "scope_key" character varying(64) NOT NULL, "min_margin_pct" numeric(6,2), "max_change_pct" numeric(6,2), "price_floor" numeric(12,2), "price_ceiling" numeric(12,2), "price_endings" jsonb, "frozen" boolean, "updated_by" character varying(100) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_guardrails_scope" UNIQUE ("scope", "scope_key"), CONSTRAINT "ck_guardrails_scope" CHECK ("scope" IN ('global', 'category', 'sku')), CONSTRAINT "PK_d99eeda6a1117a188c224fa71d3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "skus" ("code" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "category" character varying(32) NOT NULL, "unit_cost" numeric(12,4) NOT NULL, "list_price" numeric(12,2) NOT NULL, "shelf_life_days" integer NOT NULL, "price_floor" numeric(12,2), "price_ceiling" numeric(12,2), "salvage_value" numeric(12,4) NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_skus_prices" CHECK ("unit_cost" >= 0 AND "list_price" > 0 AND "shelf_life_days" > 0), CONSTRAINT "PK_98ad793f30cbf60d4b561fbd792" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE INDEX "idx_skus_category" ON "skus"  ("category") `);
    await queryRunner.query(`CREATE TABLE "stores" ("id" character varying(32) NOT NULL, "name" character varying(200) NOT NULL, "region" character varying(100) NOT NULL, "cluster" character varying(100) NOT NULL, "timezone" character varying(64) NOT NULL, "attributes" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7aa6e7d71fa7acdd7ca43d7c9cb" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "inventory_lots" ("id" uuid NOT NULL, "store_id" character varying(32) NOT NULL, "sku_code" character varying(64) NOT NULL, "lot_ref" character varying(64) NOT NULL, "quantity" numeric(12,3) NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_inventory_lots_store_sku_ref" UNIQUE ("store_id", "sku_code", "lot_ref"), CONSTRAINT "ck_inventory_lots_expiry" CHECK ("expires_at" > "received_at"), CONSTRAINT "ck_inventory_lots_quantity" CHECK ("quantity" >= 0), CONSTRAINT "PK_4169a4d8ae62a4b2c212411a74b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_inventory_lots_sku" ON "inventory_lots"  ("sku_code") `);
    await queryRunner.query(`CREATE INDEX "idx_inventory_lots_store_expires" ON "inventory_lots"  ("store_id", "expires_at") `);
    await queryRunner.query(`CREATE TABLE "price_overrides" ("id" uuid NOT NULL, "sku_code" character varying(64) NOT NULL, "store_id" character varying(32), "price" numeric(12,2) NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" text NOT NULL, "forced" boolean NOT NULL DEFAULT false, "created_by" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "cancelled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_price_overrides_window" CHECK ("ends_at" > "starts_at" AND "price" > 0), CONSTRAINT "PK_432ad5c747d56017d50f35dea8c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_price_overrides_sku_ends" ON "price_overrides"  ("sku_code", "ends_at") `);
    await queryRunner.query(`ALTER TABLE "inventory_lots" ADD CONSTRAINT "FK_5df82553b4dc353aa09bd45f47e" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "inventory_lots" ADD CONSTRAINT "FK_f207886f0946bd4f9c74854ab3f" FOREIGN KEY ("sku_code") REFERENCES "skus"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "price_overrides" ADD CONSTRAINT "FK_b2cc6ce3b280800317dd3c61033" FOREIGN KEY ("sku_code") REFERENCES "skus"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "price_overrides" ADD CONSTRAINT "FK_bc38bd5a13476c5b40192b08a1e" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "price_overrides" DROP CONSTRAINT "FK_bc38bd5a13476c5b40192b08a1e"`);
    await queryRunner.query(`ALTER TABLE "price_overrides" DROP CONSTRAINT "FK_b2cc6ce3b280800317dd3c61033"`);
    await queryRunner.query(`ALTER TABLE "inventory_lots" DROP CONSTRAINT "FK_f207886f0946bd4f9c74854ab3f"`);
    await queryRunner.query(`ALTER TABLE "inventory_lots" DROP CONSTRAINT "FK_5df82553b4dc353aa09bd45f47e"`);
    await queryRunner.query(`DROP INDEX "idx_price_overrides_sku_ends"`);
    await queryRunner.query(`DROP TABLE "price_overrides"`);
    await queryRunner.query(`DROP INDEX "idx_inventory_lots_store_expires"`);
    await queryRunner.query(`DROP INDEX "idx_inventory_lots_sku"`);
    await queryRunner.query(`DROP TABLE "inventory_lots"`);
    await queryRunner.query(`DROP TABLE "stores"`);
    await queryRunner.query(`DROP INDEX "idx_skus_category"`);
    await queryRunner.query(`DROP TABLE "skus"`);
    await queryRunner.query(`DROP TABLE "guardrails"`);
  }
}
