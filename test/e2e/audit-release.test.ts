/**
 * Issue 8 acceptance 2 on Helm 3 and Helm 4: a release record (memory driver, rendered from a real chart with real
 * helm) pins a digest; a pod running another digest is reported. Also helm's own failures (exit 3).
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, memoryDriver, runAudit, tempDir, writeReleaseRecord } from '../helpers/audit.js';
import { assertHelmBinaries, HELM_VERSIONS } from '../helpers/helm.js';

const A = 'sha256:5eb7e725e6bac43f2a906437aa7be080081de786a7d12f7b9649be47b69d6ca0';
const B = 'sha256:80d6ae0197c2a3be4ec46d171996105891dedf626ea3040f2dd2bf00e63c436e';

let dir = '';
beforeAll(async () => {
  assertHelmBinaries();
  dir = await tempDir();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

for (const helm of HELM_VERSIONS) {
  describe(`audit RELEASE with Helm ${helm.version} (memory driver)`, () => {
    let env: Record<string, string> = {};
    beforeAll(async () => {
      const file = await writeReleaseRecord(dir, helm, {
        name: 'shop',
        namespace: 'shop',
        revision: 3,
        set: [`image.digest=${A}`, 'db.enabled=true'],
      });
      env = memoryDriver(file);
    });
    const audit = (args: string[]) => runAudit(args, { helmBin: helm.bin, env });

    it('a pod running another digest than the release pins: release-digest-mismatch, exit 1', async () => {
      const { exitCode, report } = await audit(['shop', '-n', 'shop', '--pods', fixture('release-drift.json'), '--format', 'json']);
      expect(exitCode).toBe(1);
      expect(report!.target).toMatchObject({ release: 'shop', revision: 3, namespace: 'shop', helmVersion: helm.version });
      const mismatch = report!.findings.filter((f) => f.check === 'release-digest-mismatch');
      expect(mismatch).toHaveLength(1);
      expect(mismatch[0]).toMatchObject({
        severity: 'error',
        resource: { kind: 'Deployment', name: 'shop-web', namespace: 'shop' },
        container: { name: 'app', type: 'container' },
        image: `registry.example.com/shop/app@${A}`,
        digests: [A, B],
        pods: ['shop-web-64f8d9c7b5-v3m9q'],
      });
      // Only the release's pods: the other release's nginx pod in the same namespace is left out.
      expect(report!.workloads.map((w) => w.resource.name)).toEqual(['shop-web']);
      expect(report!.findings.map((f) => f.check)).toContain('release-workload-without-pods');
    });

    it('text shows the pinned image and the offending pod', async () => {
      const { exitCode, stdout } = await audit(['shop', '-n', 'shop', '--pods', fixture('release-drift.json')]);
      expect(exitCode).toBe(1);
      expect(stdout).toContain('imageguard audit: release shop revision 3, namespace shop');
      expect(stdout).toContain(`release: registry.example.com/shop/app@${A}`);
      expect(stdout).toMatch(/error release-digest-mismatch the release pins .* but 1 pod runs sha256:80d6ae0197c2: shop-web-64f8d9c7b5-v3m9q/);
    });

    it('HELM_NAMESPACE finds the release as helm -n does for a plugin', async () => {
      const { exitCode, report } = await runAudit(['shop', '--pods', fixture('release-drift.json'), '--format', 'json'], {
        helmBin: helm.bin,
        env: { ...env, HELM_NAMESPACE: 'shop' },
      });
      expect(exitCode).toBe(1);
      expect(report!.target.namespace).toBe('shop');
    });

    it('release not found: exit 3 with helm\'s own message', async () => {
      const { exitCode, stdout, stderr } = await audit(['nope', '-n', 'shop', '--pods', fixture('release-drift.json')]);
      expect(exitCode).toBe(3);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^imageguard: release nope not found in namespace shop\n {2}Error: release: not found$/);
    });

    it('a revision that does not exist: exit 3', async () => {
      const { exitCode, stderr } = await audit(['shop', '-n', 'shop', '--revision', '9', '--pods', fixture('release-drift.json')]);
      expect(exitCode).toBe(3);
      expect(stderr).toContain('release shop has no revision 9');
    });
  });
}

describe('helm itself', () => {
  it('helm missing: exit 3', async () => {
    const { exitCode, stderr } = await runAudit(['shop', '--pods', fixture('release-drift.json')], { helmBin: '/nonexistent/helm' });
    expect(exitCode).toBe(3);
    expect(stderr).toContain('helm not found at /nonexistent/helm');
  });
});
