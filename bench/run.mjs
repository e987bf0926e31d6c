// `npm run bench`: imageguard lint against helm template, interleaved in one run (A B A B ...), for the corpus
// charts and generated workloads, with Helm 3 and Helm 4. Writes bench/RESULTS.md. Timing lives here, never in tests.
import { spawnSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigChart, monorepo } from './generate.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = join(root, '..', 'shared', 'corpus');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const helms = [['v3.17.3', join(root, '.helm', 'v3.17.3', 'helm')], ['v4.1.4', join(root, '.helm', 'v4.1.4', 'helm')]];
const cli = join(root, 'bin', 'imageguard');

/** Wall time (ms) and peak RSS (KB) of one command, through GNU time for the RSS. */
function measure(argv, env) {
  const childEnv = { ...process.env, ...env };
  // `NODE_EXTRA_CA_CERTS: null` means: run without it (Node start-up costs ~70 ms more with it set).
  for (const [key, value] of Object.entries(childEnv)) if (value === null) delete childEnv[key];
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M %U %S', ...argv], { env: childEnv, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const [rss, user, sys] = result.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  if (result.status !== 0 && result.status !== 1) throw new Error(`${argv.join(' ')} failed: ${result.stderr.slice(0, 400)}`);
  return { wall, rss, cpu: (user + sys) * 1000 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs) => Math.min(...xs);

/** Interleaved runs of named commands after one warm-up each; returns stats per name. */
function compare(commands, runs = RUNS) {
  const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (const [argv, env] of Object.values(commands)) measure(argv, env);
  for (let i = 0; i < runs; i++) for (const [name, [argv, env]] of Object.entries(commands)) samples[name].push(measure(argv, env));
  return Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [
      name,
      { min: min(s.map((x) => x.wall)), median: median(s.map((x) => x.wall)), rss: Math.max(...s.map((x) => x.rss)), cpu: median(s.map((x) => x.cpu)) },
    ]),
  );
}

const rows = [];
const fmt = (ms) => `${ms.toFixed(0)} ms`;
function row(label, helm, stats, lintKey = 'lint', helmKey = 'helm') {
  const l = stats[lintKey];
  const h = stats[helmKey];
  const node = stats.node;
  rows.push(
    `| ${label} | ${helm} | ${fmt(l.min)} / ${fmt(l.median)} | ${fmt(h.min)} / ${fmt(h.median)} | ${(l.median / h.median).toFixed(2)}x | ` +
      `${fmt(l.median - h.median)} | ${node ? fmt(node.median) : '-'} | ${(l.rss / 1024).toFixed(0)} / ${(h.rss / 1024).toFixed(0)} MB | ` +
      `${fmt(Math.max(0, l.cpu - h.cpu))} (${((100 * Math.max(0, l.cpu - h.cpu)) / h.cpu).toFixed(0)}%) |`,
  );
  console.log(rows.at(-1));
}

const work = mkdtempSync(join(tmpdir(), 'imageguard-bench-'));
const charts = existsSync(corpus) ? readdirSync(corpus).filter((name) => !name.startsWith('_') && existsSync(join(corpus, name, 'Chart.yaml'))) : [];
const header =
  '| workload | helm | lint min / median | helm template min / median | ratio | extra wall | node -e 0 | peak RSS lint / helm | lint own CPU (vs helm) |\n|---|---|---|---|---|---|---|---|---|';
console.log(header);
for (const [version, helm] of helms) {
  const env = { HELM_BIN: helm };
  const lintArgs = (chart) => [process.execPath, cli, 'lint', chart, '--release', 'x', '--kube-version', '1.32.0', '--fail-on', 'never'];
  const helmArgs = (chart) => [helm, 'template', 'x', chart, '--kube-version', '1.32.0'];
  for (const name of charts) {
    const chart = join(corpus, name);
    row(name, version, compare({ lint: [lintArgs(chart), env], helm: [helmArgs(chart), env], node: [[process.execPath, '-e', '0'], env] }));
  }
  if (charts.includes('helm-create') && process.env.NODE_EXTRA_CA_CERTS) {
    const chart = join(corpus, 'helm-create');
    const bare = { ...env, NODE_EXTRA_CA_CERTS: null };
    row('helm-create, NODE_EXTRA_CA_CERTS unset', version, compare({ lint: [lintArgs(chart), bare], helm: [helmArgs(chart), bare], node: [[process.execPath, '-e', '0'], bare] }));
  }
  for (const count of [100, 1000, 5000]) {
    const chart = bigChart(join(work, `big-${count}`), count);
    row(`${count} Deployments`, version, compare({ lint: [lintArgs(chart), env], helm: [helmArgs(chart), env] }, count === 5000 ? 3 : RUNS));
  }
  const mono = monorepo(join(work, 'mono'), 200);
  const monoCharts = readdirSync(mono).map((name) => join(mono, name));
  const lintMono = measureMany(() => measure([process.execPath, cli, 'lint', '--recursive', mono, '--fail-on', 'never'], env), 3);
  const helmMono = measureMany(() => monoCharts.reduce((sum, chart) => sum + measure(helmArgs(chart), env).wall, 0), 3);
  rows.push(`| monorepo, 200 charts (lint --recursive vs helm template one by one) | ${version} | ${fmt(lintMono)} | ${fmt(helmMono)} (sum) | ${(lintMono / helmMono).toFixed(2)}x | | | | |`);
  console.log(rows.at(-1));
}

function measureMany(fn, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const value = fn();
    samples.push(typeof value === 'number' ? value : value.wall);
  }
  return median(samples);
}

const when = new Date().toISOString().slice(0, 10);
const doc = `# Benchmark results

\`npm run bench\` (bench/run.mjs) on ${when}: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version},
NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'}. Each row: one warm-up, then ${RUNS} interleaved runs
(3 for 5,000 Deployments and the monorepo). "extra wall" = median lint - median helm template. "lint own CPU" = median
user+sys of lint (helm included, as its child) minus that of helm template alone.

${header}
${rows.join('\n')}
`;
writeFileSync(join(root, 'bench', 'RESULTS.md'), doc);
console.log(`\nwrote bench/RESULTS.md`);
