// Acceptance 2: `helm template --post-renderer` with imageguard's post-renderer pins every pod-spec image to the
// registry digest with Helm 3.17.3 (executable path) and Helm 4.1.4 (postrenderer/v1 plugin added through a
// HELM_PLUGINS path list), and leaves the rest of the output semantically unchanged. Failures reach the user.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { serializeLock } from '../../src/pin/lock.js';
import { assertHelmBinaries, HELM_VERSIONS, isolatedHelmEnv, removeHelmEnv, repoRoot, type HelmBinary } from '../helpers/helm.js';
import { buildImage, buildMultiArchImage } from '../helpers/oci.js';
import { describeRegistry, pushImage, startRegistry, type TestRegistry } from '../helpers/registry.js';

const chart = join(repoRoot, 'test', 'fixtures', 'charts', 'registry-app');
const work = mkdtempSync(join(tmpdir(), 'imageguard-postrender-e2e-'));
const appDigest = buildImage(join(work, 'app'), 'v', 'app');
const otherDigest = buildImage(join(work, 'other'), 'v', 'other');
const multiDigest = buildMultiArchImage(join(work, 'multi'), 'v', 'multi').index;
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Doc = Record<string, unknown>;
const DIGEST_SUFFIX = /@sha256:[0-9a-f]{64}$/;

/** Pod-spec images of the parsed docs, as `Kind/name container: image`. */
function podImages(docs: Doc[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const doc of docs) {
    const spec = ((doc.spec as Doc | undefined)?.template as Doc | undefined)?.spec as Doc | undefined;
    for (const key of ['initContainers', 'containers']) {
      for (const c of (spec?.[key] as Doc[] | undefined) ?? []) out[`${String(doc.kind)}/${String((doc.metadata as Doc).name)} ${String(c.name)}`] = String(c.image);
    }
  }
  return out;
}

/** The docs with the digest taken off every pod-spec image: what must equal the unpinned render. */
function withoutPins(docs: Doc[]): Doc[] {
  return JSON.parse(JSON.stringify(docs), (key, value: unknown) => (key === 'image' && typeof value === 'string' ? value.replace(DIGEST_SUFFIX, '') : value)) as Doc[];
}

const parse = (text: string): Doc[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null)
    .sort((a, b) => `${String(a.kind)}/${String((a.metadata as Doc).name)}`.localeCompare(`${String(b.kind)}/${String((b.metadata as Doc).name)}`));

describeRegistry('post-renderer through helm template', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    assertHelmBinaries();
    registry = await startRegistry();
    await pushImage(registry, join(work, 'app'), 'v', 'demo/app:1.0.0');
    await pushImage(registry, join(work, 'multi'), 'v', 'demo/multi:1.0.0', { all: true });
  });
  afterAll(() => registry?.stop());

  for (const helm of HELM_VERSIONS) {
    describe(`helm ${helm.version}`, () => {
      let env: Record<string, string> = {};
      beforeAll(async () => {
        env = await isolatedHelmEnv();
        // Helm 4 only: the postrenderer/v1 plugin's folder joins the plugin path for this helm process.
        if (helm.major === 4) env.HELM_PLUGINS = `${env.HELM_PLUGINS}${delimiter}${join(repoRoot, 'postrender-plugin')}`;
      });
      afterAll(() => removeHelmEnv(env));

      const renderer = (h: HelmBinary) => (h.major === 3 ? join(repoRoot, 'bin', 'imageguard-postrender') : 'imageguard-postrender');
      const template = (extra: string[] = []) =>
        execa(helm.bin, ['template', 'r', chart, '--set', `registry=${registry.host}`, ...extra], { env, reject: false, timeout: 60_000 });
      const withRenderer = (...args: string[]) => template(['--post-renderer', renderer(helm), ...args.map((a) => `--post-renderer-args=${a}`)]);

      it('pins every pod-spec image to the registry digest and changes nothing else', async () => {
        const plain = await template();
        const pinned = await withRenderer();
        expect(plain.exitCode, plain.stderr).toBe(0);
        expect(pinned.exitCode, pinned.stderr).toBe(0);
        const images = podImages(parse(pinned.stdout));
        const host = registry.host;
        const expected: Record<string, string> = {
          'Deployment/r-web init': `${host}/demo/app:1.0.0@${appDigest}`,
          'Deployment/r-web web': `${host}/demo/app:1.0.0@${appDigest}`,
          'Deployment/r-web sidecar': `${host}/demo/multi:1.0.0@${multiDigest}`,
          // Helm 3 does not pass hooks to post-renderers (HELM-FACTS.md); Helm 4 does.
          'Job/r-migrate migrate': helm.major === 4 ? `${host}/demo/app:1.0.0@${appDigest}` : `${host}/demo/app:1.0.0`,
        };
        expect(images).toEqual(expected);
        expect(withoutPins(parse(pinned.stdout))).toEqual(parse(plain.stdout));
        // Not pod-spec images: the annotation, the args and the ConfigMap value keep the tag.
        expect(pinned.stdout).toContain(`imageguard.test/built-from: "${host}/demo/app:1.0.0"`);
        expect(pinned.stdout).toContain(`image: "${host}/demo/app:1.0.0"\n`);
      });

      it('takes digests from --lock (even when the registry says otherwise)', async () => {
        const lock = join(work, `h${helm.major}.lock.yaml`);
        const at = '2025-01-01T00:00:00Z';
        writeFileSync(
          lock,
          serializeLock({
            entries: [
              { image: `${registry.host}/demo/app:1.0.0`, digest: otherDigest, resolvedAt: at },
              { image: `${registry.host}/demo/multi:1.0.0`, digest: multiDigest, resolvedAt: at },
            ],
          }),
        );
        const r = await withRenderer('--lock', lock);
        expect(r.exitCode, r.stderr).toBe(0);
        expect(podImages(parse(r.stdout))['Deployment/r-web web']).toBe(`${registry.host}/demo/app:1.0.0@${otherDigest}`);
      });

      it('fails visibly when an image is not in the lock: stderr on Helm 3, --report on Helm 4', async () => {
        const lock = join(work, `partial-${helm.major}.lock.yaml`);
        writeFileSync(lock, serializeLock({ entries: [{ image: `${registry.host}/demo/app:1.0.0`, digest: appDigest, resolvedAt: '' }] }));
        const report = join(work, `report-${helm.major}.txt`);
        const r = await withRenderer('--lock', lock, '--report', report);
        expect(r.exitCode).not.toBe(0);
        const reason = `${registry.host}/demo/multi:1.0.0 is not in ${lock}`;
        if (helm.major === 3) expect(r.stderr).toContain(reason);
        else {
          // Helm 4 keeps the post-renderer's stderr to itself; the report file is how the reason gets out.
          expect(r.stderr).toContain('plugin "imageguard-postrender" exited with error');
          expect(r.stderr).not.toContain(reason);
        }
        expect(readFileSync(report, 'utf8')).toContain(reason);
      });

      it('fails with the registry answer when a tag does not exist', async () => {
        const report = join(work, `missing-${helm.major}.txt`);
        const r = await template(['--set', 'sidecar.tag=gone', '--post-renderer', renderer(helm), `--post-renderer-args=--report=${report}`]);
        expect(r.exitCode).not.toBe(0);
        expect(readFileSync(report, 'utf8')).toMatch(/demo\/multi:gone: .* 404 Not Found \(MANIFEST_UNKNOWN/);
      });
    });
  }
});

describe('the Helm 4 plugin folder stays out of Helm 3', () => {
  it('lives two levels below the repository root, where no plugin scan of the installed repo reaches', () => {
    const text = readFileSync(join(repoRoot, 'postrender-plugin', 'imageguard-postrender', 'plugin.yaml'), 'utf8');
    expect(text).toMatch(/^type: postrenderer\/v1$/m);
    expect(text).toMatch(/^apiVersion: v1$/m);
    // Helm loads <entry>/*/plugin.yaml: installed, the repo is <plugins>/imageguard, and this file is at depth 3.
    expect(readFileSync(join(repoRoot, 'plugin.yaml'), 'utf8')).not.toMatch(/^apiVersion:/m);
  });
});
