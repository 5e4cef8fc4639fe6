// The API image: the Dockerfile's structure, and its < 200 MB budget measured offline by
// infra/docker/image-size.mjs (no Docker engine here; CI also checks the built image).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const dockerDir = join(root, 'infra', 'docker');
const dockerfile = readFileSync(join(dockerDir, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());

/** Dockerfile instructions (continuation lines joined, comments dropped), grouped by stage name. */
function stages(text: string): Map<string, string[]> {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  const byStage = new Map<string, string[]>();
  let current = '(global)';
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) current = from[2] ?? from[1]!;
    if (!byStage.has(current)) byStage.set(current, []);
    byStage.get(current)!.push(line);
  }
  return byStage;
}

/** Runs an ES-module snippet against the pruning rules (Jest here transforms CommonJS only). */
function withPruneModule<T>(body: string): T {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', `import * as prune from ${JSON.stringify(join(dockerDir, 'prune-node-modules.mjs'))};\n${body}`], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as T;
}

describe('Dockerfile', () => {
  const byStage = stages(dockerfile);
  const runtime = byStage.get('runtime') ?? [];

  it('is multi-stage: build, prod-deps, runtime', () => {
    expect([...byStage.keys()].filter((name) => name !== '(global)')).toEqual(['build', 'prod-deps', 'runtime']);
  });

  it('runs on a Debian slim base pinned by digest (onnxruntime-node ships glibc binaries, no Alpine)', () => {
    expect(dockerfile).toMatch(/ARG DEBIAN_IMAGE=debian:bookworm-\d{8}-slim@sha256:[0-9a-f]{64}/);
    expect(runtime[0]).toBe('FROM ${DEBIAN_IMAGE} AS runtime');
    expect(dockerfile).not.toMatch(/alpine/i);
  });

  it('installs production dependencies only, without install scripts, and prunes them', () => {
    const prod = byStage.get('prod-deps')!.join('\n');
    expect(prod).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(prod).toMatch(/node \/tmp\/prune-node-modules\.mjs --root \/app --arch/);
    expect(prod).toMatch(/TARGETARCH/);
  });

  it('builds the API and the console (when the workspace can) and drops source maps', () => {
    const build = byStage.get('build')!.join('\n');
    expect(build).toMatch(/npm run build/);
    expect(build).toMatch(/npm run --if-present build:console/);
    expect(build).toMatch(/mkdir -p apps\/console\/dist bin/);
    expect(build).toMatch(/-name '\*\.map' -delete/);
  });

  it('copies only built output and pruned dependencies into the runtime stage', () => {
    const copies = runtime.filter((line) => line.startsWith('COPY'));
    expect(copies).toEqual([
      'COPY --from=build /usr/local/bin/node /usr/local/bin/node',
      'COPY --from=prod-deps /app/node_modules ./node_modules',
      'COPY --from=build /src/package.json ./package.json',
      'COPY --from=build /src/dist ./dist',
      'COPY --from=build /src/bin ./bin',
      'COPY --from=build /src/apps/console/dist ./apps/console/dist',
    ]);
    expect(runtime.join('\n')).not.toMatch(/npm (ci|install)|apt-get/);
  });

  it('runs as an unprivileged user with read-only application files', () => {
    expect(runtime).toContain('USER 10001:10001');
    expect(runtime.join('\n')).toMatch(/useradd --system --uid 10001/);
    expect(runtime.filter((line) => line.startsWith('COPY')).join('\n')).not.toMatch(/--chown/);
  });

  it('checks liveness on /health/live and starts the API', () => {
    const healthcheck = runtime.find((line) => line.startsWith('HEALTHCHECK'))!;
    expect(healthcheck).toMatch(/\/health\/live/);
    expect(healthcheck).toMatch(/--start-period=\d+s/);
    expect(runtime.at(-1)).toBe('CMD ["node", "dist/apps/api/src/main.js"]');
    expect(runtime).toContain('EXPOSE 3000');
  });

  it('trusts the RDS certificate authorities for PGSSLMODE=verify-full', () => {
    expect(runtime.join('\n')).toMatch(/NODE_EXTRA_CA_CERTS=\/etc\/ssl\/certs\/rds-global-bundle\.pem/);
    expect(runtime.join('\n')).toMatch(/ADD --chmod=0444 https:\/\/truststore\.pki\.rds\.amazonaws\.com\/global\/global-bundle\.pem/);
  });

  it('has a .dockerignore that keeps node_modules, git, build output and infra out of the context', () => {
    for (const entry of ['**/node_modules', '.git', 'dist', 'tmp', 'data', 'infra', '!infra/docker/prune-node-modules.mjs', '**/*.spec.ts']) {
      expect(dockerignore).toContain(entry);
    }
  });

  it('measures the same base image it runs on', () => {
    const tag = /ARG DEBIAN_IMAGE=(debian:[^@\s]+)/.exec(dockerfile)![1];
    expect(readFileSync(join(dockerDir, 'image-size.mjs'), 'utf8')).toContain(`name: '${tag}'`);
  });
});

describe('pruning rules (infra/docker/prune-node-modules.mjs)', () => {
  it('keeps linux/x64 onnxruntime binaries and drops every other platform', () => {
    const reasons = withPruneModule<Record<string, string | null>>(`
      const paths = ['onnxruntime-node/bin/napi-v6/linux', 'onnxruntime-node/bin/napi-v6/linux/x64', 'onnxruntime-node/bin/napi-v6/linux/arm64',
        'onnxruntime-node/bin/napi-v6/darwin', 'onnxruntime-node/bin/napi-v6/win32', 'onnxruntime-node/dist'];
      console.log(JSON.stringify(Object.fromEntries(paths.map((p) => [p, prune.pruneReason(p, true, 'x64')]))));`);
    expect(reasons).toEqual({
      'onnxruntime-node/bin/napi-v6/linux': null,
      'onnxruntime-node/bin/napi-v6/linux/x64': null,
      'onnxruntime-node/bin/napi-v6/linux/arm64': 'onnxruntime-node linux/arm64 binaries',
      'onnxruntime-node/bin/napi-v6/darwin': 'onnxruntime-node darwin binaries',
      'onnxruntime-node/bin/napi-v6/win32': 'onnxruntime-node win32 binaries',
      'onnxruntime-node/dist': null,
    });
  });

  it('drops maps, typings and docs but keeps licences and code', () => {
    const reasons = withPruneModule<Record<string, string | null>>(`
      const files = ['pg/lib/index.js', 'pg/lib/index.js.map', 'pg/lib/index.d.ts', 'x/index.d.mts', 'pg/README.md', 'pg/LICENSE.md', 'pg/LICENSE', 'x/package.json'];
      console.log(JSON.stringify(Object.fromEntries(files.map((f) => [f, prune.pruneReason(f, false)]))));`);
    expect(reasons).toEqual({
      'pg/lib/index.js': null,
      'pg/lib/index.js.map': 'source maps',
      'pg/lib/index.d.ts': 'type declarations',
      'x/index.d.mts': 'type declarations',
      'pg/README.md': 'docs',
      'pg/LICENSE.md': null,
      'pg/LICENSE': null,
      'x/package.json': null,
    });
  });

  it('removes optional peers that only dev tooling pulls in, and nothing production needs', () => {
    const { unneeded, needed } = withPruneModule<{ unneeded: string[]; needed: string[] }>(`
      import { readFileSync } from 'node:fs';
      const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
      console.log(JSON.stringify({ unneeded: prune.unneededPackages(lock), needed: [...prune.productionClosure(lock)] }));`);
    expect(unneeded).toEqual(expect.arrayContaining(['node_modules/typescript', 'node_modules/ts-node', 'node_modules/@swc/core']));
    const dependencies = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    for (const name of dependencies) {
      expect(needed).toContain(`node_modules/${name}`);
      expect(unneeded).not.toContain(`node_modules/${name}`);
    }
  });
});

describe('image size budget (infra/docker/image-size.mjs)', () => {
  interface Report {
    pass: boolean;
    budgetBytes: number;
    total: { bytes: number; compressed: number };
    rows: { layer: string; bytes: number; compressed: number; prunedBytes?: number }[];
    problems: string[];
    largestPackages: { name: string; bytes: number }[];
  }
  let report: Report;
  beforeAll(() => {
    const run = spawnSync(process.execPath, [join(dockerDir, 'image-size.mjs'), '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (!run.stdout) throw new Error(`image-size.mjs produced no report: ${run.stderr}`);
    report = JSON.parse(run.stdout) as Report;
  });

  it('stays under 200 MB compressed, with the production install consistent with the lockfile', () => {
    expect(report.problems).toEqual([]);
    expect(report.budgetBytes).toBe(200_000_000);
    expect(report.total.compressed).toBeLessThan(200_000_000);
    expect(report.pass).toBe(true);
  });

  it('accounts for every layer: base image, node, production node_modules, built output, console', () => {
    const layers = report.rows.map((row) => row.layer);
    expect(layers[0]).toMatch(/^base image debian:bookworm-\d{8}-slim/);
    expect(layers.some((layer) => layer.startsWith('node 20 binary'))).toBe(true);
    expect(layers.some((layer) => layer.startsWith('production node_modules'))).toBe(true);
    expect(layers.some((layer) => layer.startsWith('dist/'))).toBe(true);
    expect(layers.some((layer) => layer.startsWith('apps/console/dist'))).toBe(true);
    for (const row of report.rows) expect(row.compressed).toBeLessThanOrEqual(row.bytes);
  });

  it('ships onnxruntime-node with its linux/x64 binaries only (the full package is ~290 MB)', () => {
    const ort = report.largestPackages.find((pkg) => pkg.name === 'onnxruntime-node')!;
    expect(ort.bytes).toBeGreaterThan(40_000_000);
    expect(ort.bytes).toBeLessThan(60_000_000);
    const deps = report.rows.find((row) => row.layer.startsWith('production node_modules'))!;
    expect(deps.prunedBytes).toBeGreaterThan(250_000_000);
    expect(report.largestPackages.map((pkg) => pkg.name)).not.toEqual(expect.arrayContaining(['typescript', '@swc/core', 'ts-node']));
  });
});
