/**
 * Writes the API's OpenAPI document — the source of libs/api-client (`npm run api-client:generate`).
 * Boots the real application on a throw-away in-memory PGlite (no demo seed, no model), asks it for
 * the same document it serves at /docs-json, and writes it with a stable layout.
 * Usage: node dist/apps/api/src/openapi/write-openapi.js <output.json>
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildOpenApiDocument, createApp } from '../app.factory';
import { loadConfig } from '../config/app-config';

async function main(): Promise<void> {
  const output = process.argv[2];
  if (!output) throw new Error('usage: write-openapi <output.json>');
  const config = loadConfig({ DATA_DIR: 'memory://', DEMO_SEED: 'false', LOG_LEVEL: 'silent', CONSOLE_DIR: '/nonexistent-console' });
  const app = await createApp(config);
  try {
    const document = buildOpenApiDocument(app);
    const path = resolve(output);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(`write-openapi: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
