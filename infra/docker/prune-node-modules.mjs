#!/usr/bin/env node
// Removes from a production node_modules what the API never loads at run time.
//
// The Dockerfile runs it in the `prod-deps` stage, right after `npm ci --omit=dev`; image-size.mjs imports
// the same rules to measure the image without building it. One set of rules, two users: the measured
// figure is the figure of what ships.
//
//   node infra/docker/prune-node-modules.mjs --root /app [--arch x64|arm64] [--dry-run]
//
// Rules (each one safe for `node dist/apps/api/src/main.js` and `node bin/dynaprice.js`):
//   1. packages outside the production dependency closure: optional peers of production packages that npm
//      installs only because a devDependency also wants them (typeorm → ts-node → typescript, @swc/core and
//      its native binary: ~38 MB). `npm ci --omit=dev` keeps them; `--omit=optional` would also drop real
//      optional dependencies.
//   2. onnxruntime-node's native folders for other platforms (darwin, win32, the other linux arch: ~250 MB).
//      The package picks bin/napi-v6/<platform>/<arch> at load time, so the others are dead weight.
//   3. source maps, TypeScript declarations, @types/*, and Markdown docs (licence files are kept).
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const SUPPORTED_ARCHES = ['x64', 'arm64'];

/**
 * Lockfile paths (`node_modules/…`) that `npm ci --omit=dev` installs but nothing in production needs: packages
 * outside the closure of the root's dependencies over `dependencies`, `optionalDependencies` and required
 * `peerDependencies`. They are optional peers that npm keeps because a devDependency also wants them
 * (typeorm → ts-node → typescript, @swc/core and its native binary), marked `devOptional` in the lockfile.
 */
export function unneededPackages(lock) {
  const packages = lock.packages ?? {};
  const needed = productionClosure(lock);
  return Object.entries(packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev !== true && !needed.has(path))
    .map(([path]) => path);
}

/** Lockfile paths reachable from the root's production dependencies, resolved as Node resolves them. */
export function productionClosure(lock) {
  const packages = lock.packages ?? {};
  const resolve = (from, name) => {
    let base = from;
    for (;;) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (!base) return null;
      const cut = base.lastIndexOf('/node_modules/');
      base = cut === -1 ? '' : base.slice(0, cut);
    }
  };
  const needed = new Set();
  const root = packages[''] ?? {};
  const queue = [...Object.keys(root.dependencies ?? {}), ...Object.keys(root.optionalDependencies ?? {})].map((name) => resolve('', name));
  while (queue.length > 0) {
    const path = queue.pop();
    if (!path || needed.has(path)) continue;
    needed.add(path);
    const entry = packages[path];
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const names = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional),
    ];
    for (const name of names) queue.push(resolve(path, name));
  }
  return needed;
}

const KEEP_DOC = /^(licen[cs]e|notice|copying|authors)(\.|$)/i;

/**
 * Why a path inside node_modules is pruned, or null to keep it.
 * `relPath` is relative to node_modules, with forward slashes; `isDir` says whether it is a folder.
 */
export function pruneReason(relPath, isDir, arch = 'x64') {
  if (isDir) {
    const ort = /(^|\/)onnxruntime-node\/bin\/napi-v\d+\/([^/]+)(?:\/([^/]+))?$/.exec(relPath);
    if (ort) {
      const [, , platform, cpu] = ort;
      if (platform !== 'linux') return `onnxruntime-node ${platform} binaries`;
      if (cpu && cpu !== arch) return `onnxruntime-node linux/${cpu} binaries`;
      return null;
    }
    return relPath === '@types' || relPath.endsWith('/node_modules/@types') ? 'type declarations' : null;
  }
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  if (name.endsWith('.map')) return 'source maps';
  if (/\.d\.[cm]?ts$/.test(name)) return 'type declarations';
  if (/\.(md|markdown)$/i.test(name) && !KEEP_DOC.test(name)) return 'docs';
  return null;
}

/**
 * Walks `dir` (a node_modules folder or part of it) and calls `visit(relPath, bytes, reason)` for every
 * regular file, with the prune reason or null. Pruned folders are reported file by file, so callers can
 * both delete and measure. Nested `node_modules` are skipped when `skipNested` is set (the lockfile lists
 * them as packages of their own).
 */
export function walk(root, start, arch, visit, { skipNested = false } = {}) {
  const stack = [[start, null]];
  while (stack.length > 0) {
    const [dir, inheritedReason] = stack.pop();
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const rel = relative(root, full).split(sep).join('/');
      if (entry.isDirectory()) {
        if (skipNested && entry.name === 'node_modules') continue;
        const reason = inheritedReason ?? pruneReason(rel, true, arch);
        stack.push([full, reason]);
      } else if (entry.isFile()) {
        visit(rel, lstatSync(full).size, inheritedReason ?? pruneReason(rel, false, arch), full);
      }
    }
  }
}

/** Prunes `<root>/node_modules` in place; returns bytes removed per reason. */
export function pruneNodeModules(root, { arch = 'x64', dryRun = false } = {}) {
  if (!SUPPORTED_ARCHES.includes(arch)) throw new Error(`unsupported arch ${arch} (expected ${SUPPORTED_ARCHES.join(' or ')})`);
  const modules = join(root, 'node_modules');
  const removed = {};
  const add = (reason, bytes) => (removed[reason] = (removed[reason] ?? 0) + bytes);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  for (const path of unneededPackages(lock)) {
    const full = join(root, path);
    if (!existsSync(full)) continue;
    walk(root, full, arch, (_rel, bytes) => add('packages production never loads (optional peers of dev tooling)', bytes));
    if (!dryRun) rmSync(full, { recursive: true, force: true });
  }
  const doomed = [];
  walk(modules, modules, arch, (_rel, bytes, reason, full) => {
    if (!reason) return;
    add(reason.startsWith('onnxruntime-node') ? 'onnxruntime-node other platforms' : reason, bytes);
    doomed.push(full);
  });
  if (!dryRun) for (const file of doomed) rmSync(file, { force: true });
  if (!dryRun) removeEmptyDirs(modules);
  return removed;
}

function removeEmptyDirs(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeEmptyDirs(join(dir, entry.name));
  }
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { root: { type: 'string', default: process.cwd() }, arch: { type: 'string', default: 'x64' }, 'dry-run': { type: 'boolean', default: false } },
    strict: true,
  });
  const removed = pruneNodeModules(values.root, { arch: values.arch, dryRun: values['dry-run'] });
  const total = Object.values(removed).reduce((a, b) => a + b, 0);
  for (const [reason, bytes] of Object.entries(removed).sort((a, b) => b[1] - a[1])) {
    console.log(`${(bytes / 1e6).toFixed(1).padStart(8)} MB  ${reason}`);
  }
  console.log(`${(total / 1e6).toFixed(1).padStart(8)} MB  ${values['dry-run'] ? 'would be removed' : 'removed'} (linux/${values.arch} kept)`);
}
