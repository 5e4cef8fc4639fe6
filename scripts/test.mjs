#!/usr/bin/env node
// The README's test command. Runs every suite of the workspace and ends with one line
// `N passed, N failed` summing them all. Options: --project NAME (repeatable) limits the run to those
// projects (Jest projects, or the non-Jest suites `monitoring`, `promtool`, `console`, `e2e`,
// `api-client` and `reliability`); --jest-only skips the non-Jest suites.
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
// Suites outside Jest: they run with the whole workspace, or when named with --project.
const NON_JEST_SUITES = ['monitoring', 'promtool', 'console', 'e2e', 'api-client', 'reliability'];
const jestProjects = values.project.filter((project) => !NON_JEST_SUITES.includes(project));
const runJestSuites = values.project.length === 0 || jestProjects.length > 0;
const runSuite = (name) => !values['jest-only'] && (values.project.length === 0 || values.project.includes(name));

function runJest() {
  const resultsFile = join(root, 'tmp', `jest-results-${process.pid}.json`);
  // --forceExit: a leaked handle must fail loudly in a test, not hang CI.
  const args = ['jest', '--json', `--outputFile=${resultsFile}`, '--ci', '--forceExit'];
  for (const project of jestProjects) args.push('--selectProjects', project);
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

/** infra/monitoring's asset tests (node:test): rules and dashboards against docs/metrics.md. */
function runMonitoringAssets() {
  const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', 'infra/monitoring/test/assets.test.mjs'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const count = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(run.stdout ?? '')?.[1] ?? NaN);
  const passed = count('pass');
  const failed = count('fail');
  if (Number.isNaN(passed) || Number.isNaN(failed)) {
    process.stderr.write(run.stdout ?? '');
    return { name: 'monitoring', passed: 0, failed: 1, note: `node --test exited ${run.status} without counts` };
  }
  if (failed > 0 || run.status !== 0) process.stderr.write(run.stdout);
  return { name: 'monitoring', passed, failed: Math.max(failed, run.status === 0 ? 0 : 1) };
}

/** infra/monitoring/check.sh: promtool check rules and promtool test rules (needs Debian's `prometheus`). */
function runPromtool() {
  const found = spawnSync('sh', ['-c', 'command -v promtool'], { stdio: 'ignore' }).status === 0;
  if (!found) {
    // CI installs the package first (.ci/run): there, a missing promtool is a failure, not a skip.
    const note = 'promtool not installed: apt-get install -y prometheus, or run infra/monitoring/check.sh as root';
    return process.env.CI ? { name: 'promtool', passed: 0, failed: 1, note } : { name: 'promtool', passed: 0, failed: 0, note: `skipped, ${note}` };
  }
  const run = spawnSync('bash', ['infra/monitoring/check.sh'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(run.stdout ?? '');
  const summary = /^promtool: (\d+) passed, (\d+) failed$/m.exec(run.stdout ?? '');
  if (!summary) return { name: 'promtool', passed: 0, failed: 1, note: `check.sh exited ${run.status} without a summary` };
  return { name: 'promtool', passed: Number(summary[1]), failed: Math.max(Number(summary[2]), run.status === 0 ? 0 : 1) };
}

/** A Vitest project of apps/console (`console`: components in jsdom; `e2e`: Chromium against the real API), from its JSON report. */
function runVitest(project) {
  const resultsFile = join(root, 'tmp', `vitest-${project}-${process.pid}.json`);
  const args = ['vitest', 'run', '--config', 'apps/console/vitest.config.mts', '--project', project, '--reporter=json', `--outputFile=${resultsFile}`];
  const run = spawnSync('npx', ['--no-install', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(resultsFile)) return { name: project, passed: 0, failed: 1, note: `vitest exited ${run.status} without results` };
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  // A file that fails to load, or a global setup that fails (the API did not start), has no test results of its own.
  const brokenFiles = results.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
  const unexplained = run.status !== 0 && results.numFailedTests + brokenFiles === 0 ? 1 : 0;
  return { name: project, passed: results.numPassedTests, failed: results.numFailedTests + brokenFiles + unexplained };
}

/** The console's end-to-end tests need Debian's Chromium (DEVELOPERS.md); CI has it, so there a missing one fails. */
function runEndToEnd() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    const note = `no Chromium at ${chromium}: apt-get install -y chromium, or set CHROMIUM_PATH`;
    return process.env.CI ? { name: 'e2e', passed: 0, failed: 1, note } : { name: 'e2e', passed: 0, failed: 0, note: `skipped, ${note}` };
  }
  return runVitest('e2e');
}

/** libs/api-client is what the API writes now (openapi.json and the generated schema.d.ts); needs dist/. */
function runApiClientCheck(built) {
  const run = spawnSync(process.execPath, ['libs/api-client/scripts/check.mjs', ...(built ? ['--no-build'] : [])], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return run.status === 0 ? { name: 'api-client', passed: 1, failed: 0 } : { name: 'api-client', passed: 0, failed: 1, note: 'run npm run api-client:generate' };
}

/**
 * The short reliability run (docs/reliability.md) on a fresh database: fuzzing and the process kill on
 * PGlite; with DATABASE_URL, on PostgreSQL, with the database outage, sales retries and sustained load too.
 * Every phase is one test. Needs dist/ (built above, or here when run alone).
 */
function runReliability(built) {
  if (!built) {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) return { name: 'reliability', passed: 0, failed: 1, note: 'npm run build failed' };
  }
  // Like the API suites: the database under test is PostgreSQL when DATABASE_URL is set, else PGlite.
  const databases = process.env.DATABASE_URL ? 'postgres' : 'pglite';
  const args = ['bin/dynaprice.js', 'reliability', '--quick', '--databases', databases, '--report', join('tmp', 'reliability-quick.json')];
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(run.stdout ?? '');
  const summary = /^reliability: (\d+) passed, (\d+) failed/m.exec(run.stdout ?? '');
  if (!summary) return { name: 'reliability', passed: 0, failed: 1, note: `dynaprice reliability exited ${run.status} without a summary` };
  return { name: 'reliability', passed: Number(summary[1]), failed: Math.max(Number(summary[2]), run.status === 0 ? 0 : 1) };
}

if (runJestSuites) {
  // CLI tests spawn the built commands: build first (SWC, a second or two).
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) suites.push({ name: 'build', passed: 0, failed: 1, note: 'npm run build failed' });
  else suites.push(runJest());
}
if (runSuite('monitoring')) suites.push(runMonitoringAssets());
if (runSuite('promtool')) suites.push(runPromtool());
if (runSuite('api-client')) suites.push(runApiClientCheck(runJestSuites && !suites.some((suite) => suite.name === 'build')));
if (runSuite('console')) suites.push(runVitest('console'));
if (runSuite('e2e')) suites.push(runEndToEnd());
if (runSuite('reliability')) suites.push(runReliability(runJestSuites && !suites.some((suite) => suite.name === 'build')));

const passed = suites.reduce((sum, suite) => sum + suite.passed, 0);
const failed = suites.reduce((sum, suite) => sum + suite.failed, 0);
for (const suite of suites) console.log(`${suite.name}: ${suite.passed} passed, ${suite.failed} failed${suite.note ? ` (${suite.note})` : ''}`);
if (process.env.TEST_SUMMARY_FILE) writeFileSync(process.env.TEST_SUMMARY_FILE, JSON.stringify({ passed, failed }));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
