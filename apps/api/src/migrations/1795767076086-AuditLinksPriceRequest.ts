import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A priced call's audit record links its request record (price_requests: id, requested_at), which holds
 * the decision ids it was served, instead of repeating them. Rows already written keep their own
 * decision_ids: audit_log is append-only.
 */
export class AuditLinksPriceRequest1795767076086 implements MigrationInterface {
  name = 'AuditLinksPriceRequest1795767076086';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_log" ADD "price_request_id" uuid`);
    await queryRunner.query(`ALTER TABLE "audit_log" ADD "price_requested_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_log" DROP COLUMN "price_requested_at"`);
    await queryRunner.query(`ALTER TABLE "audit_log" DROP COLUMN "price_request_id"`);
  }
}
