// `imageguard upgrade|install --imageguard-pin / --imageguard-lock` with a real registry and real helm 3 and 4:
// digests reach the deployed manifest through helm's post-renderer (Helm 3: executable path; Helm 4: the
// postrenderer/v1 plugin on HELM_PLUGINS of that helm child only), and a post-renderer failure reaches the user.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeLock } from '../../src/pin/lock.js';
import { runCli } from '../helpers/cli.js';
import { assertHelmBinaries, HELM_VERSIONS, isolatedHelmEnv, removeHelmEnv, repoRoot } from '../helpers/helm.js';
import { loggedHelm, type LoggedHelm } from '../helpers/helm-log.js';
import { startKubeDiscovery, type KubeDiscovery } from '../helpers/kube-discovery.js';
import { buildImage, buildMultiArchImage } from '../helpers/oci.js';
import { describeRegistry, pushImage, startRegistry, type TestRegistry } from '../helpers/registry.js';

const chart = join(repoRoot, 'test', 'fixtures', 'charts', 'registry-app');
const pluginDir = join(repoRoot, 'postrender-plugin');
const work = mkdtempSync(join(tmpdir(), 'imageguard-upgrade-pin-'));
const appDigest = buildImage(join(work, 'app'), 'v', 'app');
const otherDigest = buildImage(join(work, 'other'), 'v', 'other');
const multiDigest = buildMultiArchImage(join(work, 'multi'), 'v', 'multi').index;
afterAll(() => rmSync(work, { recursive: true, force: true }));

describeRegistry('imageguard upgrade/install with pinned digests', () => {
  let registry: TestRegistry;
  let kube: KubeDiscovery;
  beforeAll(async () => {
    assertHelmBinaries();
    registry = await startRegistry();
    kube = await startKubeDiscovery();
    await pushImage(registry, join(work, 'app'), 'v', 'demo/app:1.0.0');
    await pushImage(registry, join(work, 'multi'), 'v', 'demo/multi:1.0.0', { all: true });
  });
  afterAll(async () => {
    await kube?.stop();
    await registry?.stop();
  });

  for (const helm of HELM_VERSIONS) {
    describe(`helm ${helm.version}`, () => {
      let env: Record<string, string> = {};
      let logged: LoggedHelm;
      beforeAll(async () => {
        env = await isolatedHelmEnv();
        logged = loggedHelm(helm, work);
      });
      afterAll(() => removeHelmEnv(env));

      // Helm 4 can show a dry-run install without a cluster; Helm 3 gets the discovery stand-in.
      const deploy = (...extra: string[]) => {
        const args =
          helm.major === 4
            ? ['install', 'web', chart, '--dry-run=client', '--set', `registry=${registry.host}`, ...extra]
            : ['upgrade', 'web', chart, '--install', '--dry-run', '--set', `registry=${registry.host}`, ...extra];
        return runCli(args, { helmBin: logged.bin, env: { ...env, ...(helm.major === 3 ? kube.env : {}) } });
      };
      const command = helm.major === 4 ? 'install' : 'upgrade';
      const host = () => registry.host;

      it('--imageguard-pin deploys every pod-spec image by digest through the post-renderer', async () => {
        logged.clear();
        const r = await deploy('--imageguard-pin');
        expect(r.exitCode, r.stderr).toBe(0);
        expect(r.stdout).toContain(`image: "${host()}/demo/app:1.0.0@${appDigest}"`);
        expect(r.stdout).toContain(`image: '${host()}/demo/multi:1.0.0@${multiDigest}'`);
        expect(r.stdout).toContain(`image: ${host()}/demo/app:1.0.0@${appDigest}\n`); // the init container, plain style
        // Hooks: Helm 4 passes them to the post-renderer, Helm 3 does not (and imageguard says so).
        const hooks = r.stdout.slice(r.stdout.indexOf('HOOKS:'), r.stdout.indexOf('MANIFEST:'));
        if (helm.major === 4) {
          expect(hooks).toContain(`image: "${host()}/demo/app:1.0.0@${appDigest}"`);
        } else {
          expect(hooks).toContain(`image: "${host()}/demo/app:1.0.0"\n`);
          expect(r.stderr).toContain('Helm 3 does not pass hooks to post-renderers');
        }
        const calls = logged.calls();
        const deployCall = calls.find((call) => call.args[0] === command)!;
        const userArgs = helm.major === 4 ? ['--dry-run=client'] : ['--install', '--dry-run'];
        expect(deployCall.args.slice(0, 3 + userArgs.length + 2)).toEqual([command, 'web', chart, ...userArgs, '--set', `registry=${host()}`]);
        const renderer = deployCall.args[deployCall.args.indexOf('--post-renderer') + 1];
        if (helm.major === 4) {
          expect(renderer).toBe('imageguard-postrender');
          expect(deployCall.helmPlugins).toBe(`${env.HELM_PLUGINS}${delimiter}${pluginDir}`);
        } else {
          expect(renderer).toBe(join(repoRoot, 'bin', 'imageguard-postrender'));
          expect(deployCall.helmPlugins).toBe(env.HELM_PLUGINS);
        }
        // The plugin folder is added for the deploying helm only, never for the other helm calls.
        expect(calls.filter((call) => call !== deployCall).every((call) => !call.helmPlugins.includes(pluginDir))).toBe(true);
        expect(deployCall.args.filter((arg) => arg.startsWith('--post-renderer-args='))).toEqual(
          expect.arrayContaining(['--post-renderer-args=--lock', '--post-renderer-args=--resolve', '--post-renderer-args=--report']),
        );
      });

      it('--imageguard-lock deploys the digests of the lock file', async () => {
        const lock = join(work, `deploy-${helm.major}.lock.yaml`);
        writeFileSync(
          lock,
          serializeLock({
            entries: [
              { image: `${host()}/demo/app:1.0.0`, digest: otherDigest, resolvedAt: '2025-01-01T00:00:00Z' },
              { image: `${host()}/demo/multi:1.0.0`, digest: multiDigest, resolvedAt: '2025-01-01T00:00:00Z' },
            ],
          }),
        );
        const r = await deploy('--imageguard-lock', lock);
        expect(r.exitCode, r.stderr).toBe(0);
        expect(r.stdout).toContain(`image: "${host()}/demo/app:1.0.0@${otherDigest}"`);
        expect(r.stdout).not.toContain(appDigest);
      });

      it('shows why the post-renderer failed, once, on both versions', async () => {
        const lock = join(work, `partial-${helm.major}.lock.yaml`);
        writeFileSync(lock, serializeLock({ entries: [{ image: `${host()}/demo/app:1.0.0`, digest: appDigest, resolvedAt: '' }] }));
        const r = await deploy('--lock', lock);
        expect(r.exitCode).toBe(1); // helm's own exit code
        const reason = `${host()}/demo/multi:1.0.0 is not in ${lock}`;
        expect(r.stderr.split(reason).length - 1).toBe(1);
        if (helm.major === 4) {
          expect(r.stderr).toContain('plugin "imageguard-postrender" exited with error');
          expect(r.stderr).toContain(`imageguard: the post-renderer failed: ${reason}`);
        }
      });

      it('works as a helm plugin: `helm imageguard ... -n team-a --imageguard-pin`', async () => {
        // helm runs the plugin with HELM_BIN, HELM_PLUGINS and HELM_NAMESPACE (from -n, which it strips) set.
        const install = await execa(helm.bin, ['plugin', 'install', repoRoot], { env, cwd: work, reject: false, timeout: 110_000 });
        expect(install.exitCode, install.stderr).toBe(0);
        const args =
          helm.major === 4
            ? ['imageguard', 'install', 'web', chart, '-n', 'team-a', '--dry-run=client', '--set', `registry=${host()}`, '--imageguard-pin']
            : ['imageguard', 'upgrade', 'web', chart, '-n', 'team-a', '--install', '--dry-run', '--set', `registry=${host()}`, '--imageguard-pin'];
        const r = await execa(helm.bin, args, { env: { ...env, ...(helm.major === 3 ? kube.env : {}) }, cwd: work, reject: false, timeout: 110_000 });
        expect(r.exitCode, r.stderr).toBe(0);
        expect(r.stdout).toContain('NAMESPACE: team-a');
        expect(r.stdout).toContain(`image: "${host()}/demo/app:1.0.0@${appDigest}"`);
      }, 120_000);

      it('exits 4 before starting helm when a tag cannot be resolved', async () => {
        logged.clear();
        const r = await deploy('--set', 'sidecar.tag=gone', '--imageguard-pin');
        expect(r.exitCode).toBe(4);
        expect(r.stderr).toMatch(/demo\/multi:gone: .*404 Not Found \(MANIFEST_UNKNOWN/);
        expect(logged.calls().map((call) => call.args[0])).not.toContain(command);
      });
    });
  }
});
