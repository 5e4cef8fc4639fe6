#!/usr/bin/env node
// The README's test command. Runs every suite of the workspace and ends with one line
// `N passed, N failed` summing them all. Options: --project NAME (repeatable) limits Jest to
// those projects; --jest-only skips the non-Jest suites.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    project: { type: 'string', multiple: true, default: [] },
    'jest-only': { type: 'boolean', default: false },
  },
  strict: true,
});

mkdirSync(join(root, 'tmp'), { recursive: true });
const suites = [];

function runJest() {
  const resultsFile = join(root, 'tmp', `jest-results-${process.pid}.json`);
  // --forceExit: a leaked handle must fail loudly in a test, not hang CI.
  const args = ['jest', '--json', `--outputFile=${resultsFile}`, '--ci', '--forceExit'];
  for (const project of values.project) args.push('--selectProjects', project);
  const run = spawnSync('npx', ['--no-install', ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings`.trim() },
  });
  if (!existsSync(resultsFile)) return { name: 'jest', passed: 0, failed: 1, note: `jest exited ${run.status} without results` };
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  // A suite that fails to load has no test results of its own: count it as one failure.
  const brokenSuites = results.testResults.filter((suite) => suite.status === 'failed' && suite.assertionResults.length === 0).length;
  return { name: 'jest', passed: results.numPassedTests, failed: results.numFailedTests + brokenSuites };
}

// CLI tests spawn the built commands: build first (SWC, a second or two).
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) suites.push({ name: 'build', passed: 0, failed: 1, note: 'npm run build failed' });
else suites.push(runJest());

const passed = suites.reduce((sum, suite) => sum + suite.passed, 0);
const failed = suites.reduce((sum, suite) => sum + suite.failed, 0);
for (const suite of suites) console.log(`${suite.name}: ${suite.passed} passed, ${suite.failed} failed${suite.note ? ` (${suite.note})` : ''}`);
if (process.env.TEST_SUMMARY_FILE) writeFileSync(process.env.TEST_SUMMARY_FILE, JSON.stringify({ passed, failed }));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
