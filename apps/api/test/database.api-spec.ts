import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { pendingSchemaChanges } from '../src/database/database-bootstrap';
import { MIGRATIONS } from '../src/database/migrations';
import { startTestApp, TEST_DATABASE, type TestApp } from './support/test-app';

async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ table_name: string }> = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'typeorm_migrations' ORDER BY 1`,
  );
  return rows.map((row) => row.table_name);
}

describe(`migrations (${TEST_DATABASE})`, () => {
  let api: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    api = await startTestApp();
    dataSource = api.app.get<DataSource>(getDataSourceToken());
  });
  afterAll(() => api.close());

  it('applies every migration at boot', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
    expect(await tableNames(dataSource)).toEqual(expect.arrayContaining(['guardrails', 'inventory_lots', 'price_overrides', 'skus', 'stores']));
  });

  it('leaves nothing for TypeORM to generate: entities and migrations agree', async () => {
    expect(await pendingSchemaChanges(dataSource)).toEqual({ up: [], down: [] });
  });

  it('runs every migration down and up again', async () => {
    for (let step = 0; step < MIGRATIONS.length; step++) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tableNames(dataSource)).toEqual([]);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await dataSource.showMigrations()).toBe(false);
    expect(await pendingSchemaChanges(dataSource)).toEqual({ up: [], down: [] });
  });
});
