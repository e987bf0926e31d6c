/**
 * Helpers for the audit tests: the report schema, a CLI runner that validates every JSON audit report, helm release
 * records for the memory driver, the real kubectl fetched by `npm run fetch-helm`, and a tiny Kubernetes API on
 * 127.0.0.1 for that kubectl to talk to.
 */
import { Ajv } from 'ajv';
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import type { AuditReport } from '../../src/audit/types.js';
import { repoRoot, type HelmBinary } from './helm.js';

export const auditFixtures = join(repoRoot, 'test', 'fixtures', 'audit');
export const fixture = (name: string): string => join(auditFixtures, name);
export const KUBECTL = join(repoRoot, '.helm', 'kubectl', 'kubectl');

const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'audit-report.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** Every JSON audit report the tests see goes through here. */
export function expectValidAuditReport(value: unknown): AuditReport {
  const ok = validate(value);
  expect(validate.errors ?? [], 'report must match schemas/audit-report.schema.json').toEqual([]);
  expect(ok).toBe(true);
  return value as AuditReport;
}

/** Throw (never skip) when kubectl is missing: call it from `beforeAll` of suites that run kubectl. */
export function assertKubectl(): void {
  if (!existsSync(KUBECTL)) throw new Error(`kubectl missing: ${KUBECTL}. Run "npm run fetch-helm" first.`);
}

export interface AuditRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The parsed and schema-checked report for `--format json`. */
  report: AuditReport | null;
}

/**
 * Runs the built CLI (`imageguard audit ...`). The cluster environment starts empty (no HELM_NAMESPACE,
 * HELM_KUBECONTEXT or KUBECONFIG from the machine running the tests) and HOME is a fresh folder, so kubectl's
 * discovery cache stays out of the user's home.
 */
export async function runAudit(
  args: readonly string[],
  options: { helmBin?: string; env?: Record<string, string | undefined>; input?: string } = {},
): Promise<AuditRun> {
  const home = await mkdtemp(join(tmpdir(), 'imageguard-audit-home-'));
  try {
    const env: Record<string, string | undefined> = {
      NO_COLOR: '1',
      HOME: home,
      HELM_NAMESPACE: undefined,
      HELM_KUBECONTEXT: undefined,
      HELM_DEBUG: undefined,
      KUBECONFIG: join(home, 'no-kubeconfig'),
      HELM_BIN: options.helmBin,
      ...options.env,
    };
    const result = await execa(process.execPath, [join(repoRoot, 'bin', 'imageguard'), 'audit', ...args], {
      reject: false,
      env,
      extendEnv: true,
      input: options.input,
      cwd: repoRoot,
      timeout: 60_000,
    });
    const stdout = String(result.stdout);
    const stderr = String(result.stderr);
    expect(stderr, 'no stack traces').not.toMatch(/\n\s+at .*:\d+:\d+\)?/);
    const json = args.includes('json') && stdout.trimStart().startsWith('{');
    const report = json ? expectValidAuditReport(JSON.parse(stdout)) : null;
    return { exitCode: result.exitCode ?? -1, stdout, stderr, report };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

export async function tempDir(prefix = 'imageguard-audit-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/**
 * A release record for helm's memory driver, built by rendering test/fixtures/audit/shop with the given helm
 * (`helm template`), written as the YAML list of release objects HELM_MEMORY_DRIVER_DATA expects.
 */
export async function writeReleaseRecord(
  dir: string,
  helm: HelmBinary,
  release: { name: string; namespace: string; revision: number; set: readonly string[] },
): Promise<string> {
  const setArgs = release.set.flatMap((value) => ['--set', value]);
  const rendered = await execa(helm.bin, ['template', release.name, fixture('shop'), '--namespace', release.namespace, ...setArgs], {
    env: { HELM_DRIVER: undefined, HELM_MEMORY_DRIVER_DATA: undefined },
  });
  const record = {
    name: release.name,
    namespace: release.namespace,
    version: release.revision,
    info: { status: 'deployed', description: 'Upgrade complete' },
    chart: { metadata: { apiVersion: 'v2', name: 'shop', version: '0.3.0', appVersion: '2025.03.0' } },
    config: {},
    manifest: rendered.stdout,
  };
  const file = join(dir, `releases-${helm.major}.yaml`);
  await writeFile(file, stringify([record]));
  return file;
}

/** The environment that makes helm read releases from `file` (no cluster). */
export const memoryDriver = (file: string): Record<string, string> => ({ HELM_DRIVER: 'memory', HELM_MEMORY_DRIVER_DATA: file });

export interface FakeApi {
  url: string;
  /** Request paths with query, in order. */
  requests: string[];
  close(): Promise<void>;
}

const json = (body: unknown): string => JSON.stringify(body);

/** `a=b,c=d` equality selectors, enough for what the tests send. */
function selects(labels: Record<string, string>, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key = '', value] = term.split('=');
    return labels[key] === value;
  });
}

/**
 * A tiny Kubernetes API for the real kubectl: discovery (`/api`, `/apis`, `/api/v1`) and
 * `GET /api/v1[/namespaces/NS]/pods` answering a PodList of the given pods. Listens on 127.0.0.1 only and
 * closes itself after `lifetimeMs` even when a test forgets to.
 */
export async function startFakeApi(items: readonly Record<string, unknown>[], lifetimeMs = 60_000): Promise<FakeApi> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    response.setHeader('content-type', 'application/json');
    if (url.pathname === '/api') return response.end(json({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] }));
    if (url.pathname === '/apis') return response.end(json({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] }));
    if (url.pathname === '/api/v1') {
      const pods = { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] };
      return response.end(json({ kind: 'APIResourceList', groupVersion: 'v1', resources: [pods] }));
    }
    const match = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?pods$/.exec(url.pathname);
    if (match) {
      const namespace = match[1];
      const selected = items.filter((item) => {
        const metadata = item.metadata as { namespace?: string; labels?: Record<string, string> };
        return (!namespace || metadata.namespace === namespace) && selects(metadata.labels ?? {}, url.searchParams.get('labelSelector'));
      });
      // The API's PodList: items without kind/apiVersion (kubectl adds them and turns it into a List).
      const podItems = selected.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest);
      return response.end(json({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '4242' }, items: podItems }));
    }
    response.statusCode = 404;
    response.end(json({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const timer = setTimeout(() => server.close(), lifetimeMs);
  timer.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A kubeconfig with one context per cluster; the first is current. */
export async function writeKubeconfig(
  dir: string,
  clusters: Record<string, { server: string; namespace?: string }>,
  name = 'kubeconfig.yaml',
): Promise<string> {
  const names = Object.keys(clusters);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': names[0],
    clusters: names.map((name) => ({ name, cluster: { server: clusters[name]!.server } })),
    contexts: names.map((name) => ({ name, context: { cluster: name, user: 'tester', namespace: clusters[name]!.namespace } })),
    users: [{ name: 'tester', user: { token: 'not-a-secret' } }],
  };
  const file = join(dir, name);
  await writeFile(file, stringify(config));
  return file;
}

/** Pods of a fixture file (a kubectl `List`). */
export function fixtureItems(name: string): Record<string, unknown>[] {
  return (JSON.parse(readFileSync(fixture(name), 'utf8')) as { items: Record<string, unknown>[] }).items;
}
