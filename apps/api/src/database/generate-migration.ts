/**
 * Writes a migration with the SQL that brings the database in line with the entities — the
 * project's `migration:generate`. Usage: npm run migration:generate -- <Intent>
 * Runs against DATABASE_URL, or a throw-away in-memory PGlite when it is unset.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { openDatabase, pendingSchemaChanges } from './database-bootstrap';

async function main(): Promise<void> {
  const intent = process.argv[2];
  if (!intent || !/^[A-Z][A-Za-z0-9]+$/.test(intent)) throw new Error('usage: migration:generate <IntentInPascalCase>');
  const config = loadConfig({ ...process.env, DATA_DIR: process.env['DATABASE_URL'] ? undefined : 'memory://' });
  const dataSource = await openDatabase(buildDataSourceOptions(config));
  const { up, down } = await pendingSchemaChanges(dataSource);
  await dataSource.destroy();
  if (up.length === 0) {
    console.log('entities and migrations agree: nothing to generate');
    return;
  }
  const timestamp = Date.now();
  const className = `${intent}${timestamp}`;
  // Migrations stay schema-neutral: the connection's search_path picks the schema.
  const unqualified = (sql: string): string => sql.split(`"${config.databaseSchema}".`).join('');
  const quote = (sql: string): string => '`' + unqualified(sql).replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  const body = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${up.map((sql) => `    await queryRunner.query(${quote(sql)});`).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${[...down].reverse().map((sql) => `    await queryRunner.query(${quote(sql)});`).join('\n')}
  }
}
`;
  const file = join(process.cwd(), 'apps/api/src/migrations', `${timestamp}-${intent}.ts`);
  writeFileSync(file, body);
  console.log(`wrote ${file}; add ${className} to apps/api/src/database/migrations.ts`);
}

main().catch((error: unknown) => {
  console.error(`migration:generate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
