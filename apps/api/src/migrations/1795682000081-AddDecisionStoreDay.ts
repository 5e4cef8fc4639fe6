import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddDecisionStoreDay1795682000081 implements MigrationInterface {
  name = 'AddDecisionStoreDay1795682000081';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Existing decisions get the local day of their store, then the column becomes required.
    await queryRunner.query(`ALTER TABLE "price_decisions" ADD "store_day" date`);
    await queryRunner.query(
      `UPDATE "price_decisions" d SET "store_day" = (d."decided_at" AT TIME ZONE s."timezone")::date FROM "stores" s WHERE s."id" = d."store_id"`,
    );
    await queryRunner.query(`UPDATE "price_decisions" SET "store_day" = ("decided_at" AT TIME ZONE 'UTC')::date WHERE "store_day" IS NULL`);
    await queryRunner.query(`ALTER TABLE "price_decisions" ALTER COLUMN "store_day" SET NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_price_decisions_store_day" ON "price_decisions"  ("store_day", "store_id", "sku_code") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_price_decisions_store_day"`);
    await queryRunner.query(`ALTER TABLE "price_decisions" DROP COLUMN "store_day"`);
  }
}
