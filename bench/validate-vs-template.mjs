// `npm run bench:validate`: `imageguard validate CHART` against `helm template x CHART` on every corpus chart (a
// temporary copy with its schema written by `imageguard schema --write`), with Helm 3 and Helm 4. Runs the BUILT
// CLI (npm run build first). Prints a table of medians; timing lives here, never in tests.
//
// Three numbers for validate:
// - process: `node bin/imageguard validate CHART`, a fresh process as a user or CI runs it (Node's own start-up
//   and module loading included; compare with `node -e 0`), with the compiled-schema cache filled by the warm-up
//   run (as from the second run on a machine);
// - no cache: the same with IMAGEGUARD_NO_CACHE=1 (a first run: ajv compiles the schema);
// - warm: the same CLI entry point (`run()` of dist/cli/main.js, same argv) called again in one process, i.e. the
//   work validate does per chart once Node is up (the cost in a long-lived process or a loop over many files).
// NODE_EXTRA_CA_CERTS is used as the environment has it; Node 20 reads that file at every start-up.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = join(root, '..', 'shared', 'corpus');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const helms = [
  ['v3.17.3', join(root, '.helm', 'v3.17.3', 'helm')],
  ['v4.1.4', join(root, '.helm', 'v4.1.4', 'helm')],
].filter(([, bin]) => existsSync(bin));
const cli = join(root, 'bin', 'imageguard');
const main = join(root, 'dist', 'cli', 'main.js');

if (!existsSync(main)) {
  console.error('bench: dist/ is missing; run "npm run build" first');
  process.exit(2);
}
if (!existsSync(corpus) || helms.length === 0) {
  console.error('bench: needs ../shared/corpus and the helm binaries in .helm/ (npm run fetch-helm)');
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall time (ms) of a command after one warm-up run. */
function timeProcess(argv, env = {}) {
  const once = () => {
    const start = process.hrtime.bigint();
    const result = spawnSync(argv[0], argv.slice(1), { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 300)}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  once();
  return median(Array.from({ length: RUNS }, once));
}

const { run } = await import(pathToFileURL(main).href);
const quiet = { stdout() {}, stderr() {}, readStdin: () => '', stdoutIsTTY: false, stderrIsTTY: false, env: process.env, cwd: process.cwd() };

/** Median wall time (ms) of validate through the CLI entry point, inside this process. */
async function timeWarm(dir) {
  const once = async () => {
    const start = process.hrtime.bigint();
    const code = await run(['validate', dir], quiet);
    if (code !== 0) throw new Error(`validate ${dir} exited ${code}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  await once();
  const samples = [];
  for (let i = 0; i < RUNS * 3; i++) samples.push(await once());
  return median(samples);
}

function writableCopy(name, work) {
  const dir = join(work, name);
  cpSync(join(corpus, name), dir, { recursive: true });
  const writable = (path) => {
    chmodSync(path, statSync(path).mode | 0o200);
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) writable(join(path, entry));
  };
  writable(dir);
  const written = spawnSync(process.execPath, [cli, 'schema', dir, '--write'], { encoding: 'utf8' });
  if (written.status !== 0) throw new Error(`schema --write ${name}: ${written.stderr}`);
  return dir;
}

const work = mkdtempSync(join(tmpdir(), 'imageguard-bench-validate-'));
process.env.IMAGEGUARD_CACHE_DIR = join(work, 'cache'); // children inherit it; never the user's ~/.cache
try {
  const charts = readdirSync(corpus).filter((name) => !name.startsWith('_') && existsSync(join(corpus, name, 'Chart.yaml')));
  const nodeStart = timeProcess([process.execPath, '-e', '0']);
  const nodeBare = timeProcess([process.execPath, '-e', '0'], { NODE_EXTRA_CA_CERTS: '' });
  const certs = process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset';
  console.log(`validate vs helm template, median of ${RUNS} runs; NODE_EXTRA_CA_CERTS ${certs}; node -e 0: ${nodeStart.toFixed(0)} ms (${nodeBare.toFixed(0)} ms without NODE_EXTRA_CA_CERTS)\n`);
  const heads = helms.flatMap(([version]) => [`helm ${version} template`, `ratio ${version} process / warm`]);
  console.log(`| chart | validate process | process, no cache | validate warm | ${heads.join(' | ')} |`);
  console.log(`|---|---|---|---|${heads.map(() => '---').join('|')}|`);
  const ratios = [];
  for (const name of charts) {
    const dir = writableCopy(name, work);
    const processMs = timeProcess([process.execPath, cli, 'validate', dir]);
    const uncachedMs = timeProcess([process.execPath, cli, 'validate', dir], { IMAGEGUARD_NO_CACHE: '1' });
    const warmMs = await timeWarm(dir);
    const cells = [];
    for (const [, bin] of helms) {
      const helmMs = timeProcess([bin, 'template', 'x', dir]);
      ratios.push({ process: helmMs / processMs, warm: helmMs / warmMs });
      cells.push(`${helmMs.toFixed(0)} ms`, `${(helmMs / processMs).toFixed(2)}x / ${(helmMs / warmMs).toFixed(1)}x`);
    }
    console.log(`| ${name} | ${processMs.toFixed(0)} ms | ${uncachedMs.toFixed(0)} ms | ${warmMs.toFixed(1)} ms | ${cells.join(' | ')} |`);
  }
  const lowest = (key) => Math.min(...ratios.map((r) => r[key])).toFixed(2);
  console.log(`\nhelm template / validate: lowest ratio ${lowest('process')}x as a process, ${lowest('warm')}x warm (>1 means validate is faster).`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
