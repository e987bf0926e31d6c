/**
 * imageguard diff and rollback-check end to end (acceptance 1, 2 and 4 of issue 6): real helm (3.17.3 and 4.1.4)
 * reading release records, rendered from real charts, through its memory driver.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiffReport, RollbackCheckReport, RollbackTimelineReport } from '../../src/release/report.js';
import { runCli } from '../helpers/cli.js';
import { corpusDir } from '../helpers/corpus.js';
import { assertHelmBinaries, HELM_VERSIONS } from '../helpers/helm.js';
import { DIGEST, memoryDriver, standardReleases } from '../helpers/releases.js';
import { expectValidReleaseReport } from '../helpers/release-schema.js';

const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

beforeAll(() => assertHelmBinaries());

for (const helm of HELM_VERSIONS) {
  describe(`diff with Helm ${helm.version}`, () => {
    let env: Record<string, string>;
    beforeAll(async () => {
      env = memoryDriver(await standardReleases(helm.bin, corpusDir));
    });
    const diff = (...args: string[]) => runCli(['diff', ...args], { helmBin: helm.bin, env });
    const json = async (...args: string[]) => {
      const result = await diff(...args, '--format', 'json');
      expect(result.stderr).toBe('');
      return { exitCode: result.exitCode, report: expectValidReleaseReport(JSON.parse(result.stdout)) as DiffReport };
    };

    it('defaults to the previous revision against the current one; every container with both images and classes', async () => {
      const { exitCode, report } = await json('web', '1', '--exit-code');
      expect(exitCode).toBe(1); // --exit-code: images changed
      expect(report).toMatchObject({ kind: 'diff', release: { name: 'web', namespace: 'default', helmVersion: helm.version } });
      expect([report.from.revision, report.to.revision]).toEqual([1, 3]);
      const { exitCode: unchangedExit, report: byDefault } = await json('web', '--exit-code');
      expect(unchangedExit).toBe(0); // --exit-code: nothing changed from 2 to 3
      expect([byDefault.from.revision, byDefault.to.revision]).toEqual([2, 3]);
      expect(byDefault.summary).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 2 });
      expect(report.containers).toEqual([
        {
          change: 'changed',
          resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web-helm-create' },
          container: { name: 'helm-create', type: 'container' },
          from: expect.objectContaining({ image: 'nginx:1.25.3', class: 'version', hook: null, template: 'helm-create/templates/deployment.yaml' }),
          to: expect.objectContaining({ image: 'nginx:latest', class: 'latest', imagePullPolicy: 'IfNotPresent' }),
        },
        expect.objectContaining({ change: 'unchanged', container: { name: 'wget', type: 'container' } }),
      ]);
    });

    it('acceptance 2: a hook image (the helm create test pod) that changes between revisions shows in diff', async () => {
      const { report } = await json('hooked');
      const hook = report.containers.find((entry) => entry.container.name === 'wget');
      expect(hook).toMatchObject({
        change: 'changed',
        resource: { kind: 'Pod', name: 'hooked-helm-create-test-connection' },
        from: { image: 'busybox', class: 'untagged', hook: 'test', template: 'helm-create/templates/tests/test-connection.yaml' },
        to: { image: 'busybox:1.36.1', class: 'version', hook: 'test' },
      });
      expect(report.summary).toMatchObject({ changed: 1, unchanged: 1 });
      const text = await diff('hooked');
      expect(text.stdout).toMatch(/changed\s+Pod\/hooked-helm-create-test-connection \(hook test\)\s+wget\s+busybox \(untagged\)\s+busybox:1\.36\.1 \(version\)/);
      expect(text.stdout).toContain('helm-create-0.1.0) -> revision 2 (deployed, helm-create-0.2.0)');
    });

    it('a corpus chart in its namespace (-n): the pinned controller and the post-install hook image both changed', async () => {
      const { report } = await json('cm', '-n', 'cert-manager');
      expect(report.release.namespace).toBe('cert-manager');
      const changed = report.containers.filter((entry) => entry.change === 'changed');
      expect(changed.map((entry) => [entry.resource.name, entry.from?.image, entry.to?.image, entry.to?.hook])).toEqual([
        ['cm-cert-manager', `quay.io/jetstack/cert-manager-controller@${DIGEST}`, 'quay.io/jetstack/cert-manager-controller:v1.21.1', null],
        ['cm-cert-manager-startupapicheck', 'quay.io/jetstack/cert-manager-startupapicheck:v1.21.1', 'quay.io/jetstack/cert-manager-startupapicheck:v1.22.0', 'post-install'],
      ]);
      expect(report.summary).toEqual({ added: 0, removed: 0, changed: 2, unchanged: 2 });
    });

    it('--format markdown gives a table for a pull request or a chat message', async () => {
      const result = await diff('web', '1', '3', '--format', 'markdown');
      expect(result.exitCode).toBe(0); // changes, but no --exit-code
      expect(result.stdout).toContain('| Change | Resource | Container | Revision 1 | Revision 3 |');
      expect(result.stdout).toContain('| **changed** | Deployment/web-helm-create | helm-create | `nginx:1.25.3` version | `nginx:latest` latest |');
    });
  });

  describe(`rollback-check with Helm ${helm.version}`, () => {
    let env: Record<string, string>;
    beforeAll(async () => {
      env = memoryDriver(await standardReleases(helm.bin, corpusDir));
    });
    const check = (args: string[], extraEnv: Record<string, string> = {}) =>
      runCli(['rollback-check', ...args], { helmBin: helm.bin, env: { ...env, ...extraEnv } });
    const json = async (args: string[], extraEnv: Record<string, string> = {}) => {
      const result = await check([...args, '--format', 'json'], extraEnv);
      expect(result.stderr).toBe('');
      return { exitCode: result.exitCode, report: expectValidReleaseReport(JSON.parse(result.stdout)) as RollbackCheckReport };
    };
    const main = (report: RollbackCheckReport) => report.containers.find((entry) => entry.container.name === 'helm-create');

    it('acceptance 1: 3 -> 2 (nginx:latest in both) is no-op, an error: exit 1; also the default target', async () => {
      const { exitCode, report } = await json(['web', '2']);
      expect(exitCode).toBe(1);
      expect(main(report)).toMatchObject({
        verdict: 'no-op',
        severity: 'error',
        change: 'unchanged',
        runsOnRollback: true,
        current: { image: 'nginx:latest' },
        target: { image: 'nginx:latest' },
      });
      expect(main(report)?.message).toContain('rolling back to 2 changes nothing for container helm-create (Deployment/web-helm-create): both revisions say nginx:latest');
      expect([report.current.revision, report.target.revision, report.outcome]).toEqual([3, 2, 'unsafe']);
      // The helm create test pod (busybox, untagged) is a test hook: helm rollback does not run it, so it only informs.
      expect(report.containers.find((entry) => entry.container.name === 'wget')).toMatchObject({ verdict: 'no-op', severity: 'info', runsOnRollback: false });
      const byDefault = await check(['web']);
      expect(byDefault.exitCode).toBe(1);
      expect(byDefault.stdout).toMatch(/from revision 3 \(deployed, helm-create-0\.1\.0\) to revision 2 \(superseded, helm-create-0\.1\.0\)/);
      expect(byDefault.stdout).toMatch(/error\s+no-op\s+rolling back to 2 changes nothing for container helm-create/);
      expect(byDefault.stdout).toContain("UNSAFE: 1 container would not get revision 2's image (1 no-op).");
    });

    it("acceptance 1: 3 -> 1 (nginx:1.25.3) is tag-only, a warning: exit 0, and exit 1 with --fail-on warning", async () => {
      const { exitCode, report } = await json(['web', '1']);
      expect(exitCode).toBe(0);
      expect(main(report)).toMatchObject({ verdict: 'tag-only', severity: 'warning', change: 'changed', target: { image: 'nginx:1.25.3', class: 'version' } });
      expect(report.outcome).toBe('warning');
      expect(report.summary).toMatchObject({ error: 0, warning: 1, verdicts: { 'tag-only': 1, 'no-op': 1 } });
      expect((await check(['web', '1', '--fail-on', 'warning'])).exitCode).toBe(1);
    });

    it('acceptance 1: with a digest in revision 1 it says restored: exit 0, even with --fail-on warning', async () => {
      const { exitCode, report } = await json(['pinned', '1', '--fail-on', 'warning']);
      expect(exitCode).toBe(0);
      expect(main(report)).toMatchObject({ verdict: 'restored', severity: 'info', target: { class: 'digest', reference: { tag: '1.25.3' } } });
      expect(report.outcome).toBe('safe');
      const markdown = await check(['pinned', '1', '--format', 'markdown']);
      expect(markdown.stdout).toContain("**SAFE: every container the rollback starts is pinned by digest to revision 1's image.**");
      expect(markdown.stdout).toMatch(/\| info \| restored \| Deployment\/pinned-helm-create \| helm-create \| `nginx:latest` latest \| `nginx:1\.25\.3@sha256:a1b2/);
    });

    it('--all: a timeline of every revision and whether rolling back to it restores its images', async () => {
      const result = await check(['web', '--all', '--format', 'json']);
      expect(result.exitCode).toBe(0); // revision 1 passes the default --fail-on error
      const report = expectValidReleaseReport(JSON.parse(result.stdout)) as RollbackTimelineReport;
      expect(report.revisions.map((entry) => [entry.revision.revision, entry.revision.status, entry.current, entry.outcome])).toEqual([
        [1, 'superseded', false, 'warning'],
        [2, 'superseded', false, 'unsafe'],
        [3, 'deployed', true, null],
      ]);
      const text = await check(['web', '--all', '--fail-on', 'warning']);
      expect(text.exitCode).toBe(1); // no earlier revision passes
      expect(text.stdout).toMatch(/1\s+superseded\s+2026-01-01T10:00:00Z\s+helm-create-0\.1\.0\s+1\.16\.0\s+NOT PROVEN\s+1 tag-only/);
      expect(text.stdout).toMatch(/2\s+superseded\s+.*UNSAFE\s+1 no-op/);
      expect(text.stdout).toMatch(/3\s+deployed\s+.*current/);
    });

    it('acceptance 4: -n and HELM_NAMESPACE choose the release; the same name elsewhere is another release', async () => {
      const viaFlag = await json(['web', '-n', 'prod']);
      expect(viaFlag.exitCode).toBe(0);
      expect(viaFlag.report.release.namespace).toBe('prod');
      expect(main(viaFlag.report)).toMatchObject({ verdict: 'tag-only', current: { image: 'nginx:1.26.0' }, target: { image: 'nginx:1.24.0' } });
      expect(main(viaFlag.report)?.resource.namespace).toBe('prod');
      const viaEnv = await json(['web'], { HELM_NAMESPACE: 'prod' });
      expect(viaEnv.report).toEqual(viaFlag.report);
      const missing = await check(['cm']);
      expect(missing.exitCode).toBe(3);
      expect(missing.stderr).toContain('imageguard: release cm not found in the current namespace');
      expect(missing.stderr).toContain('Error: release: not found');
    });

    it('a corpus chart: the digest-pinned controller is restored, the rest tag-only, the post-install hook does not count', async () => {
      const { exitCode, report } = await json(['cm', '1', '-n', 'cert-manager']);
      expect(exitCode).toBe(0);
      const verdicts = report.containers.map((entry) => [entry.resource.name, entry.verdict, entry.severity]);
      expect(verdicts).toEqual([
        ['cm-cert-manager-cainjector', 'tag-only', 'warning'],
        ['cm-cert-manager', 'restored', 'info'],
        ['cm-cert-manager-webhook', 'tag-only', 'warning'],
        ['cm-cert-manager-startupapicheck', 'tag-only', 'info'],
      ]);
      expect(report.containers[3]).toMatchObject({ runsOnRollback: false, target: { hook: 'post-install' } });
    });
  });
}

describe('diff and rollback-check errors', () => {
  const helm = HELM_VERSIONS[0]!;
  let env: Record<string, string>;
  beforeAll(async () => {
    env = memoryDriver(await standardReleases(helm.bin, corpusDir));
  });

  it.each([
    [['diff', 'nope'], 3, ['release nope not found in namespace default', 'Error: release: not found']],
    [['diff', 'web', '1', '9'], 3, ['release web has no revision 9 (namespace default); its history lists 1 to 3', 'Error: release: not found']],
    [['diff', 'single'], 3, ['release single has only revision 1: there is no earlier revision to compare it with']],
    [['diff', 'web', 'two'], 2, ['"two" is not a revision number']],
    [['diff', 'web', '0'], 2, ['"0" is not a revision number']],
    [['diff'], 2, ["missing required argument 'release'"]],
    [['diff', 'web', '--format', 'sarif'], 2, ["argument 'sarif' is invalid"]],
    [['rollback-check', 'nope', '-n', 'prod'], 3, ['release nope not found in namespace prod', 'Error: release: not found']],
    [['rollback-check', 'web', '7'], 3, ['release web has no revision 7 (namespace default); its history lists 1 to 3', 'Error: release: not found']],
    [['rollback-check', 'single'], 3, ['release single has only revision 1: there is no earlier revision to roll back to']],
    [['rollback-check', 'web', '1', '--all'], 2, ['give either REVISION or --all']],
    [['rollback-check', 'web', '--fail-on', 'info'], 2, ["argument 'info' is invalid"]],
  ])('%j exits %i with a clear message', async (args, code, fragments) => {
    const result = await runCli(args, { helmBin: helm.bin, env: { ...env, HELM_NAMESPACE: 'default' } });
    expect(result.exitCode).toBe(code);
    for (const fragment of fragments) expect(result.stderr).toContain(fragment);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  });
});
