// Install this repository as a Helm plugin into throw-away Helm homes, once per Helm major version, and
// run it through helm. The plugin folder is a symlink to the repo, so the install hook may build dist/ here.
import { lstat, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type Result } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELM_VERSIONS, assertHelmBinaries, isolatedHelmEnv, removeHelmEnv, repoRoot } from '../helpers/helm.js';

const charts = join(repoRoot, 'test', 'fixtures', 'charts');
// Helm 3 and 4 add this line on stderr when a plugin exits non-zero (and pass its exit code on).
const PLUGIN_FAILED = 'Error: plugin "imageguard" exited with error';

for (const helm of HELM_VERSIONS) {
  describe(`helm ${helm.version}: plugin install`, () => {
    let env: Record<string, string> = {};
    let install: Result;

    // Run from the temp dir, not the repo: hooks run in the caller's working directory.
    const run = (args: string[]) =>
      execa(helm.bin, args, { env, cwd: env.HELM_DATA_HOME, reject: false, timeout: 60_000 });

    beforeAll(async () => {
      assertHelmBinaries([helm]);
      env = await isolatedHelmEnv();
      // Plain directory install; Helm 4 needs no --verify=false for a local folder (only for git/URLs).
      install = await execa(helm.bin, ['plugin', 'install', repoRoot], {
        env,
        cwd: env.HELM_DATA_HOME,
        reject: false,
        timeout: 110_000, // the install hook may run `npm run build`
      });
    }, 120_000);

    afterAll(async () => {
      await removeHelmEnv(env);
    });

    it('helm plugin install <repo> exits 0', () => {
      expect(install.exitCode, `${install.stdout}\n${install.stderr}`).toBe(0);
      expect(install.stdout).toContain('Installed plugin: imageguard');
    });

    it('links the repo into $HELM_DATA_HOME/plugins (= HELM_PLUGINS)', async () => {
      const dir = env.HELM_PLUGINS as string;
      const entries = await readdir(dir);
      const targets = await Promise.all(
        entries.map(async (e) => ((await lstat(join(dir, e))).isSymbolicLink() ? realpath(join(dir, e)) : null)),
      );
      expect(targets).toContain(await realpath(repoRoot));
    });

    it('helm plugin list shows imageguard 0.1.0', async () => {
      const r = await run(['plugin', 'list']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^imageguard\s+0\.1\.0\s/m);
      expect(r.stderr).not.toMatch(/failed to load plugin/i);
    });

    it('helm template still works with the plugin installed', async () => {
      // Helm 3 drops every plugin and complains on each command if one plugin.yaml is bad.
      const r = await run(['template', 'r', join(charts, 'pinned')]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain('name: r-web');
      expect(r.stdout).toContain('image: "nginx:1.27.3"');
      expect(r.stderr).not.toMatch(/failed to load plugin/i);
    });

    it('helm imageguard --help exits 0 and mentions lint', async () => {
      const r = await run(['imageguard', '--help']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/\blint\b/);
    });

    it('helm imageguard lint exits 1 on a chart with a latest tag', async () => {
      const r = await run(['imageguard', 'lint', join(charts, 'latest-tag')]);
      expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(1);
      // helm (unknown command) and a crashing CLI exit 1 too: make sure it was a report from the plugin.
      expect(r.stderr).toContain(PLUGIN_FAILED);
      expect(`${r.stdout}\n${r.stderr}`).toContain('nginx:latest');
    });

    it('helm imageguard lint exits 0 on a chart with pinned tags', async () => {
      const r = await run(['imageguard', 'lint', join(charts, 'pinned')]);
      expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    });

    it('helm imageguard lint exits 2 on a missing chart', async () => {
      const r = await run(['imageguard', 'lint', '/nonexistent']);
      expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(PLUGIN_FAILED);
    });
  });
}
