/**
 * imageguard rollback end to end (acceptance 3 and 4 of issue 6): real helm (3.17.3, 4.1.4) behind a HELM_BIN wrapper
 * that logs every call and execs the real binary, reading release records through helm's memory driver.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { corpusDir } from '../helpers/corpus.js';
import { assertHelmBinaries, HELM_VERSIONS } from '../helpers/helm.js';
import { helmCalls, helmWrapper, memoryDriver, standardReleases } from '../helpers/releases.js';

const STACK_TRACE = /\n\s+at .+:\d+:\d+/;
const SUCCESS = 'Rollback was a success! Happy Helming!';

beforeAll(() => assertHelmBinaries());

for (const helm of HELM_VERSIONS) {
  describe(`rollback with Helm ${helm.version}`, () => {
    let env: Record<string, string>;
    beforeAll(async () => {
      env = memoryDriver(await standardReleases(helm.bin, corpusDir));
    });
    /** Runs imageguard rollback with a fresh logging wrapper as HELM_BIN; returns the result and helm's calls. */
    const rollback = async (args: string[], options: { env?: Record<string, string>; rollbackExit?: number } = {}) => {
      const wrapper = helmWrapper(helm.bin, mkdtempSync(join(tmpdir(), 'imageguard-wrapper-')), { rollbackExit: options.rollbackExit });
      const result = await runCli(['rollback', ...args], { helmBin: wrapper.bin, env: { ...env, ...options.env } });
      const calls = helmCalls(wrapper.log);
      return { ...result, calls, rollbacks: calls.filter((call) => call.argv[0] === 'rollback').map((call) => call.argv) };
    };

    it('acceptance 3: refuses the unsafe rollback (3 -> 2, nginx:latest in both) and never starts helm rollback', async () => {
      const result = await rollback(['web', '2', '--wait']);
      expect(result.exitCode).toBe(1);
      expect(result.rollbacks).toEqual([]);
      expect(result.calls.length).toBeGreaterThan(0); // it did read the release through the wrapper
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('rolling back to 2 changes nothing for container helm-create (Deployment/web-helm-create): both revisions say nginx:latest');
      expect(result.stderr).toContain('imageguard: refusing to roll back web to revision 2: the check above failed, so helm rollback was not started.');
      expect(result.stderr).toContain('run the same command with --force');
      // The default target is the previous revision too: refused the same way.
      expect((await rollback(['web'])).rollbacks).toEqual([]);
    });

    it('acceptance 3: performs the safe one through real helm rollback with the user flags, in order; helm exits 0', async () => {
      const result = await rollback(['web', '1', '--timeout', '2m', '--history-max=5', '--wait', '--cleanup-on-fail']);
      expect(result.exitCode).toBe(0);
      expect(result.rollbacks).toEqual([['rollback', 'web', '1', '--timeout', '2m', '--history-max=5', '--wait', '--cleanup-on-fail']]);
      expect(result.stdout).toBe(SUCCESS);
      expect(result.stderr).toContain('NOT PROVEN: 1 container uses a version tag without a digest');
      expect(result.stderr).toContain('imageguard: running helm rollback web 1 --timeout 2m --history-max=5 --wait --cleanup-on-fail');
    });

    it('--force rolls back despite the verdicts; helm flags after -- pass verbatim (Helm 3 --force there)', async () => {
      const dryRun = helm.major === 3 ? '--dry-run' : '--dry-run=client';
      const result = await rollback(['web', '--force', dryRun, '--', '--force']);
      expect(result.exitCode).toBe(0);
      expect(result.rollbacks).toEqual([['rollback', 'web', '2', dryRun, '--force']]);
      expect(result.stderr).toContain('imageguard: --force: rolling back web to revision 2 despite the verdicts above.');
      expect(result.stdout).toBe(SUCCESS);
    });

    it('--fail-on warning refuses a tag-only rollback; a digest-pinned one runs', async () => {
      expect((await rollback(['web', '1', '--fail-on', 'warning'])).rollbacks).toEqual([]);
      const pinned = await rollback(['pinned', '1', '--fail-on', 'warning']);
      expect(pinned.exitCode).toBe(0);
      expect(pinned.rollbacks).toEqual([['rollback', 'pinned', '1']]);
    });

    it('acceptance 4: -n reaches every helm call; HELM_NAMESPACE and HELM_KUBECONTEXT reach helm as the plugin got them', async () => {
      const viaFlag = await rollback(['web', '1', '-n', 'prod', '--kube-context', 'ctx-b']);
      expect(viaFlag.exitCode).toBe(0);
      expect(viaFlag.rollbacks).toEqual([['rollback', 'web', '1', '--namespace', 'prod', '--kube-context', 'ctx-b']]);
      const reads = viaFlag.calls.filter((call) => call.argv[0] !== 'version');
      expect(reads.every((call) => call.argv.includes('--namespace') && call.argv.includes('ctx-b'))).toBe(true);

      const asPlugin = await rollback(['web', '1'], { env: { HELM_NAMESPACE: 'prod', HELM_KUBECONTEXT: 'ctx-a' } });
      expect(asPlugin.exitCode).toBe(0);
      expect(asPlugin.rollbacks).toEqual([['rollback', 'web', '1']]);
      expect(asPlugin.calls.every((call) => call.ns === 'prod' && call.ctx === 'ctx-a')).toBe(true);
      expect(asPlugin.stderr).toContain('revision 2 (deployed, helm-create-0.1.0) to revision 1');
    });

    it("returns helm rollback's exit code and shows its message (real helm rejecting a flag value)", async () => {
      const result = await rollback(['web', '1', '--timeout', 'forever']);
      expect(result.exitCode).toBe(1);
      expect(result.rollbacks).toHaveLength(1);
      expect(result.stderr).toContain('invalid argument "forever" for "--timeout" flag');
    });

    it('acceptance 4: release or revision not found: exit 3 with helm\'s message, and no rollback', async () => {
      const missing = await rollback(['nope', '1']);
      expect(missing.exitCode).toBe(3);
      expect(missing.stderr).toContain('imageguard: release nope not found in the current namespace');
      expect(missing.stderr).toContain('Error: release: not found');
      const revision = await rollback(['web', '9', '-n', 'default']);
      expect(revision.exitCode).toBe(3);
      expect(revision.stderr).toContain('release web has no revision 9 (namespace default); its history lists 1 to 3');
      for (const result of [missing, revision]) {
        expect(result.rollbacks).toEqual([]);
        expect(result.stderr).not.toMatch(STACK_TRACE);
        expect(result.stderr.trim().split('\n')).toHaveLength(2);
      }
    });
  });
}

describe('rollback: failures real helm cannot produce here, and usage errors', () => {
  const helm = HELM_VERSIONS[0]!;
  let env: Record<string, string>;
  beforeAll(async () => {
    env = memoryDriver(await standardReleases(helm.bin, corpusDir));
  });

  it('passes any exit code of helm rollback through (a wrapper whose rollback exits 7)', async () => {
    const wrapper = helmWrapper(helm.bin, mkdtempSync(join(tmpdir(), 'imageguard-wrapper-')), { rollbackExit: 7 });
    const result = await runCli(['rollback', 'pinned', '1'], { helmBin: wrapper.bin, env });
    expect(result.exitCode).toBe(7);
    expect(result.stderr).toContain('fake helm: rollback failed');
  });

  it.each([
    [['rollback', 'web', '1', '--wiat'], 'unknown option --wiat: neither an imageguard rollback option nor a helm rollback flag'],
    [['rollback', 'web', '1', '--timeout'], "option '--timeout <value>' argument missing"],
    [['rollback'], 'missing RELEASE'],
    [['rollback', 'web', '1', '2'], 'too many arguments: 2'],
    [['rollback', 'web', 'one'], 'REVISION: "one" is not a revision number'],
  ])('%j exits 2 before any helm call', async (args, fragment) => {
    const wrapper = helmWrapper(helm.bin, mkdtempSync(join(tmpdir(), 'imageguard-wrapper-')));
    const result = await runCli(args, { helmBin: wrapper.bin, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(fragment);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(helmCalls(wrapper.log)).toEqual([]);
  });
});
