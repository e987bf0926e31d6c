/**
 * Issue 4 acceptance 1 and 2, on temporary copies of every chart in ../shared/corpus, with Helm 3.17.3 and 4.1.4:
 * 1. after `imageguard schema --write`, `helm template` with the chart's defaults renders what it rendered before;
 * 2. for every image tag path P the values detector finds, `helm template --set P=latest` fails with helm's schema
 *    error naming P, and `--set P=1.2.3` renders.
 *
 * Some charts render differently every time, so documents are compared parsed, with these values masked (the
 * same masks before and after, on every chart):
 * - Secret `data` / `stringData` entries `admin-password` (grafana: a random password);
 * - Secret entries `tls.crt`, `tls.key`, `ca.crt` (nginx: a self-signed certificate made on each render);
 * - annotations `checksum/*` (grafana: the hash of that random Secret);
 * - metadata.name of helm test hook Pods: the random 5-character suffix (podinfo).
 */
import { execa } from 'execa';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimited } from '../../src/cli/concurrency.js';
import { matchesMutableTag, DEFAULT_MUTABLE_TAGS } from '../../src/image/classify.js';
import { parseNormalizedNamed } from '../../src/image/reference.js';
import { detectImages } from '../../src/values/detect.js';
import { loadValuesFile } from '../../src/values/load.js';
import { getIn } from '../../src/values/tree.js';
import { runCli } from '../helpers/cli.js';
import { corpusDir, loadCorpus } from '../helpers/corpus.js';
import { assertHelmBinaries, HELM_VERSIONS, type HelmBinary } from '../helpers/helm.js';

const corpus = loadCorpus();
const charts = corpus?.charts.map((chart) => chart.chart) ?? [];
const work = mkdtempSync(join(tmpdir(), 'imageguard-schema-corpus-'));
const MASKED_SECRET_KEYS = new Set(['admin-password', 'tls.crt', 'tls.key', 'ca.crt']);
const KUBE_VERSION = ['--kube-version', '1.32.0'];

/** A corpus chart copied where tests may write (the corpus itself is read-only). */
function copyChart(name: string): string {
  const dir = join(work, name);
  cpSync(join(corpusDir, name), dir, { recursive: true });
  const writable = (path: string): void => {
    chmodSync(path, statSync(path).mode | 0o200);
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) writable(join(path, entry));
  };
  writable(dir);
  return dir;
}

function mask(doc: Record<string, unknown>): Record<string, unknown> {
  const metadata = (doc.metadata ?? {}) as { name?: string; annotations?: Record<string, string> };
  const hook = metadata.annotations?.['helm.sh/hook'];
  if (hook && doc.kind === 'Pod' && metadata.name) metadata.name = metadata.name.replace(/-[a-z0-9]{5}$/, '-#####');
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        if (key.startsWith('checksum/')) (value as Record<string, unknown>)[key] = '<masked>';
        else walk(child);
      }
    }
  };
  walk(doc);
  if (doc.kind === 'Secret') {
    for (const field of ['data', 'stringData']) {
      const data = doc[field] as Record<string, unknown> | undefined;
      for (const key of Object.keys(data ?? {})) if (MASKED_SECRET_KEYS.has(key)) data![key] = '<masked>';
    }
  }
  return doc;
}

/** Rendered documents, masked, in a stable order. */
function documents(stdout: string): unknown[] {
  const docs = parseAllDocuments(stdout).map((doc) => doc.toJS() as Record<string, unknown> | null).filter((doc) => doc !== null);
  return docs.map(mask).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function template(helm: HelmBinary, dir: string, args: string[] = []) {
  const result = await execa(helm.bin, ['template', 'x', dir, ...KUBE_VERSION, ...args], { reject: false, stdin: 'ignore' });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

const isRef = (value: string): boolean => {
  try {
    parseNormalizedNamed(value);
    return true;
  } catch {
    return false;
  }
};

interface TagCase {
  path: string;
  /** --set flags switching on the sections whose default tag is mutable (only those are constrained when on). */
  enable: string[];
}

/** Every image tag path the shared detector finds in the chart's values.yaml. */
function tagCases(dir: string): TagCase[] {
  const source = loadValuesFile(join(dir, 'values.yaml'), 'values.yaml', { helmTypes: true });
  return detectImages(source.tree, isRef).map((image) => {
    const tagPath = image.kind === 'object' ? [...image.path, 'tag'] : image.path;
    const enable: string[] = [];
    if (typeof image.tag?.raw === 'string' && matchesMutableTag(image.tag.raw, DEFAULT_MUTABLE_TAGS)) {
      for (let length = image.path.length; length >= 0; length--) {
        const section = image.path.slice(0, length);
        if (getIn(source.tree, [...section, 'enabled']) === false) enable.push('--set', `${[...section, 'enabled'].join('.')}=true`);
      }
    }
    return { path: tagPath.join('.'), enable };
  });
}

const before = new Map<string, Awaited<ReturnType<typeof template>>>();

beforeAll(async () => {
  assertHelmBinaries();
  const dirs = charts.map(copyChart);
  await mapLimited(
    HELM_VERSIONS.flatMap((helm) => dirs.map((dir, i) => ({ helm, dir, name: charts[i]! }))),
    4,
    async ({ helm, dir, name }) => before.set(`${helm.version} ${name}`, await template(helm, dir)),
  );
  const written = await mapLimited(dirs, 4, (dir) => runCli(['schema', dir, '--write']));
  for (const [i, result] of written.entries()) {
    expect(result.exitCode, `${charts[i]}: ${result.stderr}`).toBe(0);
    expect(result.stderr).toContain(`wrote ${join(dirs[i]!, 'values.schema.json')}`);
  }
}, 240_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(corpus === null)('schema --write on the corpus', () => {
  it('finds image tags in every chart, and --check passes right after --write', async () => {
    for (const name of charts) expect(tagCases(join(work, name)).length, name).toBeGreaterThan(0);
    const checks = await mapLimited(charts, 4, (name) => runCli(['schema', join(work, name), '--check']));
    for (const check of checks) expect(check.exitCode, check.stdout).toBe(0);
  });

  for (const helm of HELM_VERSIONS) {
    describe(`Helm ${helm.version}`, () => {
      it.concurrent.each(charts)('%s: the defaults render as before (acceptance 1)', async (name) => {
        const previous = before.get(`${helm.version} ${name}`)!;
        const after = await template(helm, join(work, name));
        expect(previous.exitCode, previous.stderr).toBe(0);
        expect(after.exitCode, after.stderr).toBe(0);
        expect(documents(after.stdout)).toEqual(documents(previous.stdout));
      });

      it.concurrent.each(charts)('%s: --set TAG=latest is refused by helm, --set TAG=1.2.3 renders (acceptance 2)', async (name) => {
        const dir = join(work, name);
        const named = (path: string) =>
          helm.major === 3
            ? `- ${path}: Must not validate the schema (not)`
            : `at '/${path.replaceAll('.', '/')}': 'not' failed`;
        await mapLimited(tagCases(dir), 2, async ({ path, enable }) => {
          const latest = await template(helm, dir, [...enable, '--set', `${path}=latest`]);
          expect(latest.exitCode, `${path}=latest rendered`).not.toBe(0);
          expect(latest.stderr).toContain("values don't meet the specifications of the schema(s)");
          expect(latest.stderr, path).toContain(named(path));
          const pinned = await template(helm, dir, ['--set', `${path}=1.2.3`]);
          expect(pinned.exitCode, `${path}=1.2.3: ${pinned.stderr}`).toBe(0);
        });
      });
    });
  }
});
