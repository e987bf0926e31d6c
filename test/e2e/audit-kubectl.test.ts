/**
 * Issue 8 with the real kubectl (v1.35.2, fetched by `npm run fetch-helm`): kubectl missing, an unreachable
 * cluster (kubectl's own message, exit 3), and a tiny Kubernetes API on 127.0.0.1 that the real kubectl lists pods
 * from over HTTP, to show HELM_NAMESPACE, HELM_KUBECONTEXT, KUBECONFIG, -A and -l reach kubectl. Through helm as a
 * plugin too, where helm's own -n and --kube-context become that environment.
 */
import { execa } from 'execa';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertKubectl,
  fixtureItems,
  KUBECTL,
  memoryDriver,
  runAudit,
  startFakeApi,
  tempDir,
  writeKubeconfig,
  writeReleaseRecord,
  type FakeApi,
} from '../helpers/audit.js';
import { assertHelmBinaries, HELM_VERSIONS, isolatedHelmEnv, removeHelmEnv, repoRoot } from '../helpers/helm.js';

const A = 'sha256:5eb7e725e6bac43f2a906437aa7be080081de786a7d12f7b9649be47b69d6ca0';
const UNREACHABLE = 'https://127.0.0.1:1';

let dir = '';
let api: FakeApi;
let kubeconfig = '';
// Every pod of every fixture, in namespace shop.
const items = [...fixtureItems('deployment-drift.json'), ...fixtureItems('workloads-clean.json')];

beforeAll(async () => {
  assertKubectl();
  assertHelmBinaries();
  dir = await tempDir();
  api = await startFakeApi(items);
  // current-context is the unreachable one: only HELM_KUBECONTEXT / --kube-context reach the fake API.
  kubeconfig = await writeKubeconfig(dir, { broken: { server: UNREACHABLE }, fake: { server: api.url, namespace: 'shop' } });
});
afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

const kubectlRun = (args: string[], env: Record<string, string | undefined> = {}) =>
  runAudit(['--kubectl', KUBECTL, ...args], { env: { KUBECONFIG: kubeconfig, ...env } });

describe('acceptance 3: kubectl failures are clear (exit 3)', () => {
  it('kubectl missing at --kubectl PATH', async () => {
    const { exitCode, stdout, stderr } = await runAudit(['--kubectl', '/nonexistent']);
    expect(exitCode).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toBe('imageguard: kubectl not found at /nonexistent (from --kubectl)');
  });

  it('kubectl not on PATH', async () => {
    const { exitCode, stderr } = await runAudit([], { env: { PATH: dir } });
    expect(exitCode).toBe(3);
    expect(stderr).toBe('imageguard: kubectl not found on PATH: install it, give --kubectl PATH, or audit a saved list with --pods FILE');
  });

  it("an unreachable cluster: kubectl's own message, without its retry noise", async () => {
    const { exitCode, stdout, stderr } = await kubectlRun(['-n', 'shop']);
    expect(exitCode).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'imageguard: listing pods: kubectl exited with code 1\n' +
        '  The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?',
    );
  });

  it('an unknown context: kubectl says so', async () => {
    const { exitCode, stderr } = await kubectlRun([], { HELM_KUBECONTEXT: 'nope' });
    expect(exitCode).toBe(3);
    expect(stderr).toContain('context was not found for specified context: nope');
  });
});

describe('the real kubectl against a Kubernetes API on 127.0.0.1', () => {
  it('HELM_KUBECONTEXT and HELM_NAMESPACE become --context and --namespace; drift found, exit 1', async () => {
    const before = api.requests.length;
    const { exitCode, report } = await kubectlRun(['--format', 'json'], { HELM_KUBECONTEXT: 'fake', HELM_NAMESPACE: 'shop' });
    expect(exitCode).toBe(1);
    expect(api.requests.slice(before)).toContain('/api/v1/namespaces/shop/pods?limit=500');
    expect(report!.target).toMatchObject({ pods: 'kubectl', context: 'fake', namespace: 'shop' });
    expect(report!.summary).toMatchObject({ error: 1, pods: 12, workloads: 5 });
    expect(report!.findings.find((f) => f.check === 'mixed-digests')!.pods).toEqual(['shop-web-7d9f8c6b5d-t2w6r', 'shop-web-7d9f8c6b5d-h7j3s']);
  });

  it("no namespace given: kubectl uses the context's; --all-namespaces; -l passes the selector", async () => {
    let before = api.requests.length;
    expect((await kubectlRun(['--kube-context', 'fake'])).exitCode).toBe(1);
    expect(api.requests.slice(before)).toContain('/api/v1/namespaces/shop/pods?limit=500');

    before = api.requests.length;
    const all = await kubectlRun(['--kube-context', 'fake', '-A'], { HELM_NAMESPACE: 'ignored' });
    expect(all.stdout).toContain('shop/Deployment/shop-web');
    expect(api.requests.slice(before)).toContain('/api/v1/pods?limit=500');

    before = api.requests.length;
    const selected = await kubectlRun(['--kube-context', 'fake', '-l', 'app.kubernetes.io/component=agent', '--format', 'json']);
    expect(selected.exitCode).toBe(0);
    expect(selected.report!.workloads.map((w) => w.resource.name)).toEqual(['shop-agent']);
    expect(api.requests.slice(before).some((r) => r.includes('labelSelector=app.kubernetes.io%2Fcomponent%3Dagent'))).toBe(true);
  });

  it('--kubeconfig is passed to kubectl', async () => {
    const { exitCode } = await runAudit(['--kubectl', KUBECTL, '--kubeconfig', kubeconfig, '--kube-context', 'fake']);
    expect(exitCode).toBe(1);
  });

  it(`a release (memory driver, Helm ${HELM_VERSIONS[1]!.version}) and pods from kubectl`, async () => {
    const helm = HELM_VERSIONS[1]!;
    const records = await writeReleaseRecord(dir, helm, { name: 'shop', namespace: 'shop', revision: 2, set: [`image.digest=${A}`] });
    const api2 = await startFakeApi(fixtureItems('release-drift.json'));
    try {
      const config = await writeKubeconfig(dir, { fake: { server: api2.url } }, 'release-kubeconfig.yaml');
      const { exitCode, report } = await runAudit(['shop', '-n', 'shop', '--kubectl', KUBECTL, '--format', 'json'], {
        helmBin: helm.bin,
        env: { ...memoryDriver(records), KUBECONFIG: config },
      });
      expect(exitCode).toBe(1);
      expect(api2.requests).toContain('/api/v1/namespaces/shop/pods?limit=500');
      expect(report!.findings.find((f) => f.check === 'release-digest-mismatch')!.pods).toEqual(['shop-web-64f8d9c7b5-v3m9q']);
    } finally {
      await api2.close();
    }
  });
});

for (const helm of HELM_VERSIONS) {
  describe(`helm ${helm.version} imageguard audit (plugin)`, () => {
    let env: Record<string, string> = {};
    beforeAll(async () => {
      env = await isolatedHelmEnv();
      const install = await execa(helm.bin, ['plugin', 'install', repoRoot], { env, cwd: env.HELM_DATA_HOME, reject: false, timeout: 110_000 });
      expect(install.exitCode, install.stderr).toBe(0);
    }, 120_000);
    afterAll(async () => {
      await removeHelmEnv(env);
    });

    it("helm's -n and --kube-context reach kubectl; the plugin's exit code is helm's", async () => {
      const before = api.requests.length;
      const result = await execa(helm.bin, ['imageguard', 'audit', '-n', 'shop', '--kube-context', 'fake', '--kubectl', KUBECTL], {
        env: { ...env, KUBECONFIG: kubeconfig, HOME: dir, NO_COLOR: '1' },
        cwd: dir,
        reject: false,
        timeout: 60_000,
      });
      expect(result.exitCode, result.stderr).toBe(1);
      expect(api.requests.slice(before)).toContain('/api/v1/namespaces/shop/pods?limit=500');
      expect(result.stdout).toContain('imageguard audit: namespace shop, context fake, pods from kubectl');
      expect(result.stdout).toContain('error mixed-digests');
    });
  });
}
