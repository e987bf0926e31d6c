// Writes V8's code cache for dist/imageguard.cjs (bin/cli-loader.mjs reads it). The cache holds the bytecode of
// every function that has run, so the CLI first runs the paths a start-up takes: help, rules, validate and schema
// of the bundled example (read-only), lint of an already-rendered manifest, and lint of the example with a stand-in
// for helm (real helm is not needed to build).
import { mkdtempSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE, ROOT, cacheFileFor, loadBundle } from '../bin/cli-loader.mjs';
import { readFileSync } from 'node:fs';

const demo = join(ROOT, 'examples', 'demo');
const scratch = mkdtempSync(join(tmpdir(), 'imageguard-code-cache-'));
const manifest = join(scratch, 'manifest.yaml');
writeFileSync(
  manifest,
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n' +
    '        - name: web\n          image: nginx:latest\n        - name: side\n          image: busybox@sha256:' + 'a'.repeat(64) + '\n',
);
const workloads = [
  ['--help'],
  ['validate', '--help'],
  ['lint', '--help'],
  ['rules'],
  ['validate', demo],
  ['validate', demo, '--set', 'image.tag=latest', '--format', 'json'],
  ['schema', demo],
  ['lint', '--manifest', manifest],
  ['lint', '--manifest', manifest, '--format', 'json'],
];
// lint starts helm; none is needed here: node itself stands in (it fails at once), so that starting a process,
// and reading its output and error, are compiled and cached too.
process.env.HELM_BIN = process.execPath;
workloads.push(['lint', demo]);
const { exports: cli, script } = loadBundle({ useCache: false });
const quiet = { stdout() {}, stderr() {}, readStdin: () => '', stdoutIsTTY: false, stderrIsTTY: false, env: {}, cwd: ROOT };
try {
  for (const argv of workloads) await cli.run(argv, quiet);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const file = cacheFileFor(readFileSync(BUNDLE, 'utf8'));
for (const old of readdirSync(join(ROOT, 'dist'))) if (/^imageguard-[0-9a-f]+\.v8cache$/.test(old)) rmSync(join(ROOT, 'dist', old));
writeFileSync(`${file}.tmp`, script.createCachedData());
renameSync(`${file}.tmp`, file);
