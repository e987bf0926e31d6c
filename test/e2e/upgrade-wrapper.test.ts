// Acceptance 3: `imageguard upgrade|install` refuses a chart with `latest` without ever starting `helm upgrade`,
// and otherwise hands the user's arguments to helm unchanged, output streamed, helm's exit code returned.
// Shown with Helm 4's `install --dry-run=client` (no cluster needed) and, on both versions, `upgrade --install
// --dry-run` against a discovery-only API stand-in with the memory release driver.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { assertHelmBinaries, HELM_VERSIONS, isolatedHelmEnv, removeHelmEnv, repoRoot } from '../helpers/helm.js';
import { loggedHelm, type LoggedHelm } from '../helpers/helm-log.js';
import { startKubeDiscovery, type KubeDiscovery } from '../helpers/kube-discovery.js';

const charts = join(repoRoot, 'test', 'fixtures', 'charts');
const work = mkdtempSync(join(tmpdir(), 'imageguard-upgrade-e2e-'));
const valuesFile = join(work, 'prod values.yaml');
writeFileSync(valuesFile, 'image:\n  tag: "1.27.2"\n');
afterAll(() => rmSync(work, { recursive: true, force: true }));

for (const helm of HELM_VERSIONS) {
  describe(`helm ${helm.version}: imageguard upgrade / install`, () => {
    let env: Record<string, string> = {};
    let kube: KubeDiscovery;
    let logged: LoggedHelm;
    const run = (args: string[], extraEnv: Record<string, string> = {}) => runCli(args, { helmBin: logged.bin, env: { ...env, ...extraEnv } });
    const commands = () => logged.calls().map((call) => call.args[0]);

    beforeAll(async () => {
      assertHelmBinaries([helm]);
      env = await isolatedHelmEnv();
      kube = await startKubeDiscovery();
      logged = loggedHelm(helm, work);
    });
    afterAll(async () => {
      await kube?.stop();
      await removeHelmEnv(env);
    });

    for (const command of ['upgrade', 'install'] as const) {
      it(`${command} refuses a chart with latest without starting helm ${command}`, async () => {
        logged.clear();
        const r = await run([command, 'web', join(charts, 'latest-tag'), '--wait', '--timeout', '5m']);
        expect(r.exitCode, r.stderr).toBe(1);
        expect(r.stderr).toContain('nginx:latest');
        expect(r.stderr).toContain('no-latest-tag');
        expect(r.stderr).toContain(`refusing to run helm ${command}`);
        expect(r.stdout).toBe('');
        expect(commands()).toContain('template');
        expect(commands()).not.toContain(command);
      });
    }

    const userArgs = [
      '-f',
      valuesFile,
      '--set',
      'image.tag=1.27.3',
      '--description',
      "two words; $(not a shell) 'quoted'",
      '--labels=team=a,tier=b',
      '--timeout',
      '2m',
    ];

    const passThrough: { command: 'upgrade' | 'install'; args: string[]; env: () => Record<string, string> }[] = [
      { command: 'upgrade', args: ['web', join(charts, 'pinned'), '--install', '--dry-run', ...userArgs], env: () => kube.env },
    ];
    if (helm.major === 4) passThrough.push({ command: 'install', args: ['web', join(charts, 'pinned'), '--dry-run=client', ...userArgs], env: () => ({}) });

    for (const { command, args, env: extra } of passThrough) {
      it(`${command} ${args.slice(2, 4).join(' ')}: passes every argument through unchanged and streams helm's output`, async () => {
        logged.clear();
        const r = await run([command, ...args], extra());
        expect(r.exitCode, r.stderr).toBe(0);
        const deploys = logged.calls().filter((call) => call.args[0] === command);
        expect(deploys.map((call) => call.args)).toEqual([[command, ...args]]);
        // helm's own dry-run output, with the values as given (--set wins over -f).
        expect(r.stdout).toContain('NAME: web');
        expect(r.stdout).toContain('image: "nginx:1.27.3"');
        // The lint render used exactly the rendering flags, in order, and nothing helm-only.
        const template = logged.calls().find((call) => call.args[0] === 'template')!.args;
        expect(template.slice(0, 3)).toEqual(['template', 'web', join(charts, 'pinned')]);
        expect(template).toEqual(expect.arrayContaining(['-f', valuesFile, '--set', 'image.tag=1.27.3']));
        expect(template.indexOf('-f')).toBeLessThan(template.indexOf('--set'));
        expect(template).not.toContain('--description');
        expect(template).not.toContain('--labels=team=a,tier=b');
        expect(template.includes('--is-upgrade')).toBe(command === 'upgrade');
      });
    }

    it("returns helm's exit code and shows helm's own error when helm fails", async () => {
      const r = await run(['upgrade', 'web', join(charts, 'pinned'), '--install', '--timeout', 'not-a-duration'], kube.env);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('not-a-duration');
      expect(r.stderr).toContain('imageguard: lint passed; running helm upgrade');
    });

    it.each([
      [['upgrade', 'web'], /expected RELEASE CHART/],
      [['upgrade', 'web', join(charts, 'pinned'), '--imageguard-pin', '--imageguard-lock', 'x.yaml'], /not both/],
      [['upgrade', 'web', join(charts, 'pinned'), '--pin', '--post-renderer', '/bin/cat'], /drop your own --post-renderer/],
      [['install', 'web', join(charts, 'pinned'), '-f', '-'], /cannot be read twice/],
      [['install', 'web', join(charts, 'pinned'), '--imageguard-lock', join(work, 'missing.lock.yaml')], /cannot read lock file/],
      [['install', 'web', join(charts, 'pinned'), '--imageguard-fail-on', 'sometimes'], /Allowed choices are error, warning, info, never/],
      [['upgrade', '--mystery', 'x', 'web', join(charts, 'pinned')], /--mystery takes a value, write it as --flag=VALUE/],
    ])('usage error, and no helm deploy: %j', async (args, message) => {
      logged.clear();
      const r = await run(args as string[]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(commands().filter((c) => c === 'upgrade' || c === 'install')).toEqual([]);
    });

    it('lets findings below --imageguard-fail-on through, showing them on stderr', async () => {
      const r = await run(['upgrade', 'web', join(charts, 'latest-tag'), '--install', '--dry-run', '--imageguard-fail-on=never'], kube.env);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toContain('no-latest-tag');
      expect(r.stdout).toContain('image: "nginx:latest"');
    });
  });
}
