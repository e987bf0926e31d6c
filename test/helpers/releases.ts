/**
 * Release records for helm's memory driver, built from real `helm template` output (HELM-FACTS.md: "Releases without a
 * cluster"). Real helm then reads them with HELM_DRIVER=memory HELM_MEMORY_DRIVER_DATA=file, as it would read a
 * cluster's release secrets: `helm history`, `get manifest`, `get hooks`, `get metadata` and `rollback` all work.
 *
 * What helm stores, and what this writes: `manifest` is every non-hook document as `---\n# Source: PATH\n...`; `hooks`
 * are the hook documents, each {name, kind, path, manifest, events, weight, delete_policies}; `helm get hooks` prints
 * each as `---\n# Source: PATH\nMANIFEST`. Splitting here is deliberately independent of src/manifest.
 */
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export interface RevisionSpec {
  chart: string;
  /** `--set` arguments for this revision. */
  set?: string[];
  status?: 'deployed' | 'superseded' | 'failed';
}

export interface ReleaseSpec {
  name: string;
  namespace: string;
  revisions: RevisionSpec[];
}

interface HookRecord {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: string[];
  weight: number;
  delete_policies: string[];
}

/** A digest that looks real (the memory driver never pulls anything). */
export const DIGEST = `sha256:${'a1b2c3d4'.repeat(8)}`;

function setToConfig(set: readonly string[]): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const entry of set) {
    const eq = entry.indexOf('=');
    const keys = entry.slice(0, eq).split('.');
    let node = config;
    keys.slice(0, -1).forEach((key) => {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    });
    node[keys.at(-1)!] = entry.slice(eq + 1);
  }
  return config;
}

function splitRendered(text: string): { manifest: string; hooks: HookRecord[] } {
  let manifest = '';
  const hooks: HookRecord[] = [];
  for (const chunk of text.split(/^---\s*$/m)) {
    const source = /^# Source: (.+)$/m.exec(chunk);
    if (!source) continue;
    const body = chunk.replace(/^\n/, '').replace(/^# Source: .+\n/m, '');
    const object = parse(body) as { kind?: string; metadata?: { name?: string; annotations?: Record<string, string> } } | null;
    if (!object) continue;
    const annotations = object.metadata?.annotations ?? {};
    const hook = annotations['helm.sh/hook'];
    if (hook) {
      hooks.push({
        name: object.metadata?.name ?? '',
        kind: object.kind ?? '',
        path: source[1]!,
        manifest: body.trimEnd(),
        events: hook.split(',').map((event) => event.trim()),
        weight: Number(annotations['helm.sh/hook-weight'] ?? 0),
        delete_policies: (annotations['helm.sh/hook-delete-policy'] ?? '').split(',').filter((p) => p !== ''),
      });
    } else {
      manifest += `---\n# Source: ${source[1]}\n${body.trimEnd()}\n`;
    }
  }
  return { manifest, hooks };
}

/** Renders every revision with real helm and returns the memory driver records (a YAML list). */
export async function releaseRecords(helmBin: string, specs: readonly ReleaseSpec[]): Promise<unknown[]> {
  const jobs = specs.flatMap((spec) =>
    spec.revisions.map(async (revision, index) => {
      const set = revision.set ?? [];
      const args = ['template', spec.name, revision.chart, '--namespace', spec.namespace, ...set.flatMap((s) => ['--set', s])];
      const { stdout } = await execa(helmBin, args, { env: { HELM_DRIVER: undefined } });
      const chart = parse(readFileSync(join(revision.chart, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
      const { manifest, hooks } = splitRendered(stdout);
      const version = index + 1;
      const last = version === spec.revisions.length;
      const day = String(version).padStart(2, '0');
      return {
        name: spec.name,
        namespace: spec.namespace,
        version,
        info: {
          status: revision.status ?? (last ? 'deployed' : 'superseded'),
          first_deployed: '2026-01-01T10:00:00Z',
          last_deployed: `2026-01-${day}T10:00:00Z`,
          description: version === 1 ? 'Install complete' : 'Upgrade complete',
        },
        chart: {
          metadata: { apiVersion: chart.apiVersion, name: chart.name, version: chart.version, appVersion: chart.appVersion, type: chart.type },
        },
        config: setToConfig(set),
        manifest,
        hooks,
      };
    }),
  );
  return Promise.all(jobs);
}

export async function writeReleaseData(helmBin: string, file: string, specs: readonly ReleaseSpec[]): Promise<string> {
  writeFileSync(file, stringify(await releaseRecords(helmBin, specs)));
  return file;
}

/** The environment that makes helm read releases from `file` instead of a cluster. */
export function memoryDriver(file: string): Record<string, string> {
  return { HELM_DRIVER: 'memory', HELM_MEMORY_DRIVER_DATA: file };
}

/**
 * A copy of a corpus chart under the OS temp dir (never in the project, never in ../shared) with edits applied:
 * a chart's next version, for a revision whose chart changed (e.g. its test hook image).
 */
export function editedChart(chart: string, edits: Record<string, (text: string) => string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'imageguard-chart-')), 'chart');
  cpSync(chart, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(dir, file);
    writeFileSync(path, edit(readFileSync(path, 'utf8')));
  }
  return dir;
}

/**
 * A HELM_BIN wrapper around the real helm that appends each call (its argv, and HELM_NAMESPACE / HELM_KUBECONTEXT as
 * the child saw them) to `log`, then execs the real helm. `rollbackExit` makes `helm rollback` exit with that code
 * instead: only for failures real helm cannot produce with the memory driver.
 */
export function helmWrapper(realHelm: string, dir: string, options: { rollbackExit?: number } = {}): { bin: string; log: string } {
  const log = join(dir, 'helm-calls.log');
  const bin = join(dir, 'helm-wrapper');
  const quoted = (path: string) => `'${path.replace(/'/g, `'\\''`)}'`;
  const fake = options.rollbackExit === undefined ? '' : `if [ "$1" = rollback ]; then echo "fake helm: rollback failed" >&2; exit ${options.rollbackExit}; fi\n`;
  writeFileSync(
    bin,
    '#!/bin/sh\n' +
      `{ printf 'CALL\\nNS %s\\nCTX %s\\n' "\${HELM_NAMESPACE-<unset>}" "\${HELM_KUBECONTEXT-<unset>}"; for a in "$@"; do printf 'ARG %s\\n' "$a"; done; } >> ${quoted(log)}\n` +
      fake +
      `exec ${quoted(realHelm)} "$@"\n`,
    { mode: 0o755 },
  );
  writeFileSync(log, '');
  return { bin, log };
}

export interface HelmCall {
  argv: string[];
  /** null when unset in helm's environment. */
  ns: string | null;
  ctx: string | null;
}

export function helmCalls(log: string): HelmCall[] {
  const calls: HelmCall[] = [];
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const current = calls.at(-1);
    if (line === 'CALL') calls.push({ argv: [], ns: null, ctx: null });
    else if (current && line.startsWith('NS ')) current.ns = line.slice(3) === '<unset>' ? null : line.slice(3);
    else if (current && line.startsWith('CTX ')) current.ctx = line.slice(4) === '<unset>' ? null : line.slice(4);
    else if (current && line.startsWith('ARG ')) current.argv.push(line.slice(4));
  }
  return calls;
}

/**
 * The releases the release e2e suites read (acceptance of issue 6), rendered from the `helm create` chart and the
 * cert-manager corpus chart with different values per revision:
 * - web (default): nginx:1.25.3, nginx:latest, nginx:latest
 * - web (prod): nginx:1.24.0, nginx:1.26.0 (same name, other namespace)
 * - pinned (default): nginx:1.25.3@sha256:..., nginx:latest, nginx:latest
 * - hooked (default): chart 0.1.0 (test pod busybox), then 0.2.0 whose test pod says busybox:1.36.1
 * - cm (cert-manager): controller pinned by digest, then unpinned with another startupapicheck (post-install hook) tag
 * - single (default): one revision only
 */
export async function writeStandardReleases(helmBin: string, file: string, corpusDir: string): Promise<string> {
  const helmCreate = join(corpusDir, 'helm-create');
  const certManager = join(corpusDir, 'cert-manager');
  const helmCreate020 = editedChart(helmCreate, {
    'Chart.yaml': (text) => text.replace(/^version: 0\.1\.0$/m, 'version: 0.2.0'),
    'templates/tests/test-connection.yaml': (text) => text.replace('image: busybox\n', 'image: busybox:1.36.1\n'),
  });
  const tag = (value: string): RevisionSpec => ({ chart: helmCreate, set: [`image.tag=${value}`] });
  return writeReleaseData(helmBin, file, [
    { name: 'web', namespace: 'default', revisions: [tag('1.25.3'), tag('latest'), tag('latest')] },
    { name: 'web', namespace: 'prod', revisions: [tag('1.24.0'), tag('1.26.0')] },
    { name: 'pinned', namespace: 'default', revisions: [tag(`1.25.3@${DIGEST}`), tag('latest'), tag('latest')] },
    { name: 'hooked', namespace: 'default', revisions: [tag('1.25.3'), { chart: helmCreate020, set: ['image.tag=1.25.3'] }] },
    {
      name: 'cm',
      namespace: 'cert-manager',
      revisions: [
        { chart: certManager, set: [`image.digest=${DIGEST}`] },
        { chart: certManager, set: ['startupapicheck.image.tag=v1.22.0'] },
      ],
    },
    { name: 'single', namespace: 'default', revisions: [tag('1.25.3')] },
  ]);
}

const standardCache = new Map<string, Promise<string>>();

/** writeStandardReleases once per helm binary per test file (rendering ~13 revisions costs a second or two). */
export function standardReleases(helmBin: string, corpusDir: string): Promise<string> {
  let file = standardCache.get(helmBin);
  if (!file) {
    file = writeStandardReleases(helmBin, join(mkdtempSync(join(tmpdir(), 'imageguard-releases-')), 'releases.yaml'), corpusDir);
    standardCache.set(helmBin, file);
  }
  return file;
}
