#!/usr/bin/env node
// npm run api-client:generate — rewrites libs/api-client/openapi.json and src/schema.d.ts.
// --no-build: the workspace was just built (npm run build) and dist/ is current.
import { generate, libDir } from './generation.mjs';

await generate(libDir, { build: !process.argv.includes('--no-build') });
console.log('api-client: wrote libs/api-client/openapi.json and libs/api-client/src/schema.d.ts');
