#!/usr/bin/env node
// Proves the API image's < 200 MB budget without a Docker engine or a network.
//
//   node infra/docker/image-size.mjs [--json] [--arch x64|arm64] [--budget-mb 200] [--fresh]
//
// It measures what the Dockerfile's runtime stage copies, file by file, with the Dockerfile's own pruning
// rules (prune-node-modules.mjs):
//   - production node_modules: the lockfile's non-dev packages as installed in ./node_modules (what
//     `npm ci --omit=dev` installs from the same lockfile), minus what the prune step removes;
//     `--fresh` instead runs `npm ci --omit=dev --ignore-scripts` into a temporary copy (needs the registry
//     or a warm npm cache, ~15 s) and measures that;
//   - dist/ without source maps (the SWC build; run `npm run build` first, or it is built for you),
//     apps/console/dist and bin/ when present, package.json;
//   - the node binary the runtime stage copies from the official node image (this machine's binary of the
//     same major version stands in for it);
//   - the base image's published size (constants below, with their source).
// Every layer is compressed with gzip level 6, as BuildKit does for registry layers, so the compressed figure
// is measured, not guessed. The budget applies to the compressed image: the size a registry (ECR, Docker Hub)
// stores and reports and that Fargate pulls on every task start. The uncompressed (on-disk, `docker images`)
// size is printed beside it. CI (.github/workflows) checks the real image with `docker image inspect` too.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { constants as zlibConstants, createGzip } from 'node:zlib';
import { pruneReason, SUPPORTED_ARCHES, unneededPackages, walk } from './prune-node-modules.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

/**
 * The runtime stage's base image, `debian:bookworm-20260918-slim` (pinned by digest in the Dockerfile).
 * Source: docker-library/repo-info, the generated metadata of Docker Hub's official images:
 *   repos/debian/remote/bookworm-20260918-slim.md — linux/amd64 "Total Size: 28.2 MB (28238443 bytes)
 *     (compressed transfer size, not on-disk size)"; linux/arm64: 28123680 bytes;
 *   repos/debian/local/bookworm-20260824-slim.md — "Virtual Size: ~ 74.83 Mb (total size of all layers
 *     on-disk)", linux/amd64 (the on-disk size changes by kilobytes between monthly rebuilds).
 * Refresh both when the Dockerfile's DEBIAN_TAG moves (`docker manifest inspect -v`, `docker image inspect`).
 */
export const BASE_IMAGE = {
  name: 'debian:bookworm-20260918-slim',
  compressedBytes: { x64: 28_238_443, arm64: 28_123_680 },
  uncompressedBytes: 74_830_000,
  source: 'docker-library/repo-info repos/debian/{remote,local}/bookworm-*-slim.md',
};

/** Used only when this machine's node is not the image's major version (the binary cannot be measured). */
const NODE_BINARY_FALLBACK = { uncompressedBytes: 100_000_000, compressedBytes: 33_000_000 };
const IMAGE_NODE_MAJOR = 20;
/** Small files the runtime stage adds besides the measured ones: RDS CA bundle, user/group entries. */
const OTHER_LAYERS = { uncompressedBytes: 200_000, compressedBytes: 100_000 };
const TAR_HEADER = 512;
const MB = 1_000_000;

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    arch: { type: 'string', default: 'x64' },
    'budget-mb': { type: 'string', default: '200' },
    fresh: { type: 'boolean', default: false },
    root: { type: 'string', default: repoRoot },
  },
  strict: true,
});
if (!SUPPORTED_ARCHES.includes(args.arch)) throw new Error(`--arch must be one of ${SUPPORTED_ARCHES.join(', ')}`);
const budgetBytes = Number(args['budget-mb']) * MB;
const root = args.root;

/** A layer being measured: file bytes plus tar headers, and a gzip stream fed with the same bytes. */
class Layer {
  constructor(name) {
    this.name = name;
    this.files = 0;
    this.bytes = 0;
    this.compressed = 0;
    this.prunedBytes = 0;
    this.gzip = createGzip({ level: 6, chunkSize: 1 << 20, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
    this.gzip.on('data', (chunk) => (this.compressed += chunk.length));
    this.done = new Promise((resolve, reject) => {
      this.gzip.on('end', resolve);
      this.gzip.on('error', reject);
    });
    this.pending = [];
  }
  add(path) {
    this.pending.push(path);
  }
  async finish() {
    for (const path of this.pending) {
      const size = lstatSync(path).size;
      this.files += 1;
      this.bytes += size + TAR_HEADER;
      const header = Buffer.alloc(TAR_HEADER);
      header.write(relative(root, path), 0, 100);
      await write(this.gzip, header);
      if (size > 0) await write(this.gzip, readFileSync(path));
    }
    this.gzip.end();
    await this.done;
    if (this.files === 0) this.compressed = 0; // an empty layer is no layer
    return this;
  }
}

function write(stream, chunk) {
  return new Promise((resolve) => (stream.write(chunk) ? resolve() : stream.once('drain', resolve)));
}

function walkFiles(dir, visit) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walkFiles(full, visit);
    else if (entry.isFile()) visit(full);
  }
}

/** Matches npm's platform filter for the image (linux, glibc, the target CPU). */
function installsOnImage(entry) {
  const cpu = args.arch;
  if (entry.os && !entry.os.includes('linux') && !entry.os.some((os) => os.startsWith('!'))) return false;
  if (entry.os?.includes('!linux')) return false;
  if (entry.cpu && !entry.cpu.includes(cpu) && !entry.cpu.some((c) => c.startsWith('!'))) return false;
  if (entry.libc && !entry.libc.includes('glibc')) return false;
  return true;
}

/** Production node_modules of `dir` (which holds package-lock.json and node_modules), pruned like the image. */
function measureNodeModules(dir, layer, problems) {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  const skip = new Set(unneededPackages(lock));
  const perPackage = new Map();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || entry.dev || !installsOnImage(entry)) continue;
    const full = join(dir, path);
    if (skip.has(path)) {
      if (existsSync(full)) walk(dir, full, args.arch, (_rel, bytes) => (layer.prunedBytes += bytes), { skipNested: true });
      continue;
    }
    if (!existsSync(full)) {
      if (!entry.optional) problems.push(`${path} is in the production tree but not installed here (run npm ci)`);
      continue;
    }
    const installed = JSON.parse(readFileSync(join(full, 'package.json'), 'utf8')).version;
    if (entry.version && installed !== entry.version) problems.push(`${path}: installed ${installed}, lockfile ${entry.version}`);
    const modules = join(dir, 'node_modules');
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    walk(modules, full, args.arch, (rel, bytes, reason, abs) => {
      if (reason) {
        layer.prunedBytes += bytes;
        return;
      }
      layer.add(abs);
      perPackage.set(name, (perPackage.get(name) ?? 0) + bytes);
    }, { skipNested: true });
  }
  return perPackage;
}

function nodeBinary() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== IMAGE_NODE_MAJOR || process.arch !== args.arch) return null;
  return process.execPath;
}

async function main() {
  const started = Date.now();
  const problems = [];
  let depsDir = root;
  let scratch = null;
  if (args.fresh) {
    scratch = mkdtempSync(join(tmpdir(), 'dynaprice-image-size-'));
    for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
      if (existsSync(join(root, file))) cpSync(join(root, file), join(scratch, file));
    }
    const ci = spawnSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: scratch,
      stdio: args.json ? 'ignore' : 'inherit',
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
    });
    if (ci.status !== 0) throw new Error('npm ci --omit=dev failed in the scratch folder');
    depsDir = scratch;
  }
  if (!existsSync(join(root, 'dist/apps/api/src/main.js'))) {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: args.json ? 'ignore' : 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed: dist/ is needed to measure the image');
  }

  const deps = new Layer('production node_modules (pruned)');
  const perPackage = measureNodeModules(depsDir, deps, problems);

  const app = new Layer('dist/ (API, CLI, libs; no source maps)');
  walkFiles(join(root, 'dist'), (file) => {
    if (file.split(sep).includes('node_modules')) return;
    if (pruneReason(relative(root, file).split(sep).join('/'), false) === 'source maps') app.prunedBytes += lstatSync(file).size;
    else app.add(file);
  });
  app.add(join(root, 'package.json'));
  const consoleDist = join(root, 'apps/console/dist');
  const consoleLayer = new Layer('apps/console/dist (React console)');
  if (existsSync(consoleDist)) walkFiles(consoleDist, (file) => consoleLayer.add(file));
  if (existsSync(join(root, 'bin'))) walkFiles(join(root, 'bin'), (file) => app.add(file));

  const nodeLayer = new Layer(`node ${IMAGE_NODE_MAJOR} binary (from the official node image)`);
  const binary = nodeBinary();
  if (binary) nodeLayer.add(binary);

  // Layers compress concurrently (zlib runs on libuv's thread pool).
  await Promise.all([deps.finish(), app.finish(), consoleLayer.finish(), nodeLayer.finish()]);
  if (!binary) {
    nodeLayer.bytes = NODE_BINARY_FALLBACK.uncompressedBytes;
    nodeLayer.compressed = NODE_BINARY_FALLBACK.compressedBytes;
    nodeLayer.name += ' — estimated: this machine runs a different node';
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });

  const rows = [
    { layer: `base image ${BASE_IMAGE.name} (published)`, bytes: BASE_IMAGE.uncompressedBytes, compressed: BASE_IMAGE.compressedBytes[args.arch], files: null },
    { layer: nodeLayer.name, bytes: nodeLayer.bytes, compressed: nodeLayer.compressed, files: nodeLayer.files },
    { layer: deps.name, bytes: deps.bytes, compressed: deps.compressed, files: deps.files, prunedBytes: deps.prunedBytes },
    { layer: app.name, bytes: app.bytes, compressed: app.compressed, files: app.files, prunedBytes: app.prunedBytes },
    { layer: consoleLayer.name + (consoleLayer.files ? '' : ' — not built yet'), bytes: consoleLayer.bytes, compressed: consoleLayer.compressed, files: consoleLayer.files },
    { layer: 'RDS CA bundle, user and folders', bytes: OTHER_LAYERS.uncompressedBytes, compressed: OTHER_LAYERS.compressedBytes, files: null },
  ];
  const total = {
    bytes: rows.reduce((sum, row) => sum + row.bytes, 0),
    compressed: rows.reduce((sum, row) => sum + row.compressed, 0),
  };
  const largestPackages = [...perPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([name, bytes]) => ({ name, bytes }));
  const result = {
    arch: args.arch,
    mode: args.fresh ? 'fresh npm ci --omit=dev' : 'lockfile + installed node_modules',
    budgetBytes,
    measure: 'compressed (registry) size',
    rows,
    total,
    pass: total.compressed < budgetBytes && problems.length === 0,
    headroomBytes: budgetBytes - total.compressed,
    largestPackages,
    problems,
    baseImageSource: BASE_IMAGE.source,
    seconds: (Date.now() - started) / 1000,
  };
  if (args.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    printTable(result);
  }
  process.exit(result.pass ? 0 : 1);
}

function printTable(result) {
  const mb = (bytes) => (bytes / MB).toFixed(1).padStart(7);
  const width = Math.max(...result.rows.map((row) => row.layer.length), 40);
  console.log(`Dynaprice API image, linux/${result.arch} (${result.mode})\n`);
  console.log(`${'layer'.padEnd(width)}  ${'on disk'.padStart(9)}  ${'gzip'.padStart(9)}`);
  for (const row of result.rows) {
    const pruned = row.prunedBytes ? `   (${(row.prunedBytes / MB).toFixed(1)} MB pruned)` : '';
    console.log(`${row.layer.padEnd(width)}  ${mb(row.bytes)} MB  ${mb(row.compressed)} MB${pruned}`);
  }
  console.log(`${'-'.repeat(width + 24)}`);
  console.log(`${'total'.padEnd(width)}  ${mb(result.total.bytes)} MB  ${mb(result.total.compressed)} MB`);
  console.log('\nlargest production packages (after pruning):');
  for (const pkg of result.largestPackages) console.log(`  ${mb(pkg.bytes)} MB  ${pkg.name}`);
  for (const problem of result.problems) console.log(`! ${problem}`);
  const verdict = result.pass ? 'PASS' : 'FAIL';
  console.log(
    `\n${verdict}: ${(result.total.compressed / MB).toFixed(1)} MB compressed (registry size) vs budget ${(result.budgetBytes / MB).toFixed(0)} MB` +
      ` — ${(Math.abs(result.headroomBytes) / MB).toFixed(1)} MB ${result.headroomBytes >= 0 ? 'to spare' : 'over'};` +
      ` ${(result.total.bytes / MB).toFixed(1)} MB on disk once pulled. Base image figures: ${result.baseImageSource}.`,
  );
}

main().catch((error) => {
  console.error(`image-size: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
