#!/usr/bin/env node
// npm run api-client:check — fails when the committed openapi.json / schema.d.ts differ from a fresh
// generation (the CI step of STYLE.md "API client generated, never hand-written").
// --no-build: the workspace was just built (npm run build) and dist/ is current.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENERATED_FILES, generate, libDir } from './generation.mjs';

const fresh = mkdtempSync(join(tmpdir(), 'dynaprice-api-client-'));
try {
  await generate(fresh, { build: !process.argv.includes('--no-build') });
  const stale = GENERATED_FILES.filter((file) => {
    const committed = join(libDir, file);
    return !existsSync(committed) || readFileSync(committed, 'utf8') !== readFileSync(join(fresh, file), 'utf8');
  });
  if (stale.length > 0) {
    console.error(`api-client: ${stale.map((file) => `libs/api-client/${file}`).join(' and ')} differ from what the API writes now: run \`npm run api-client:generate\` and commit the result`);
    process.exit(1);
  }
  console.log('api-client: openapi.json and schema.d.ts match the API');
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
