#!/usr/bin/env node
'use strict';
// The `dynaprice` command. Runs the compiled CLI (dist/apps/cli/src/main.js); when it is missing or
// older than any TypeScript source of apps/cli or libs, first runs the workspace build
// (`npm run build`, SWC, about a second), so that `npx dynaprice …` works right after `npm ci`.
// The commands that need the API's database (`users …`, `api-keys …`, `jobs …`, `train` without
// --csv) run the API's own command
// runner instead (dist/apps/api/src/cli.js): apps/cli never imports apps/api.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
/** Command groups served by the API's runner (apps/api/src/cli.ts). */
const API_GROUPS = new Set(['users', 'api-keys', 'jobs']);
let argv = process.argv.slice(2);
// `dynaprice train` without --csv trains on the database's history: the API's `jobs train`.
if (argv[0] === 'train' && !argv.some((arg) => arg === '--csv' || arg.startsWith('--csv=') || arg === '--help' || arg === '-h')) argv = ['jobs', ...argv];
const forApi = API_GROUPS.has(argv[0]);
const entry = forApi ? join(root, 'dist', 'apps', 'api', 'src', 'cli.js') : join(root, 'dist', 'apps', 'cli', 'src', 'main.js');

/** Newest modification time (ms) of the .ts sources under `dir`, spec files excluded. */
function newestSource(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const item of entries) {
    const path = join(dir, item.name);
    if (item.isDirectory()) {
      if (item.name !== 'node_modules') newest = Math.max(newest, newestSource(path));
    } else if (item.name.endsWith('.ts') && !item.name.endsWith('.spec.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

function isStale() {
  if (!existsSync(entry)) return true;
  const built = statSync(entry).mtimeMs;
  const libs = join(root, 'libs');
  const sources = [join(root, 'apps', forApi ? 'api' : 'cli', 'src')];
  if (existsSync(libs)) for (const lib of readdirSync(libs)) sources.push(join(libs, lib, 'src'));
  return sources.some((dir) => newestSource(dir) > built);
}

if (isStale()) {
  // Quiet unless it fails: stdout must stay the command's own output.
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (build.status !== 0 || !existsSync(entry)) {
    const output = `${build.stderr || ''}\n${build.stdout || ''}`.split('\n').map((line) => line.trim());
    const reason = output.find((line) => /error/i.test(line) && !/^npm (warn|notice)/i.test(line)) || (build.error ? build.error.message : `exit code ${build.status}`);
    process.stderr.write(`dynaprice: building the CLI failed (npm run build): ${reason}\n`);
    process.exit(1);
  }
}

require(entry).runCli(argv);
