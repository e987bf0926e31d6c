/** lint end to end through the built CLI with real helm: acceptance 2 of issue 2, flags, formats, errors. */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonReport, runCli } from '../helpers/cli.js';
import { corpusDir } from '../helpers/corpus.js';
import { assertHelmBinaries, HELM_VERSIONS, repoRoot } from '../helpers/helm.js';

const helmCreate = join(corpusDir, 'helm-create');
const fixtures = join(repoRoot, 'test', 'fixtures');
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

beforeAll(() => assertHelmBinaries());

for (const helm of HELM_VERSIONS) {
  describe(`lint with Helm ${helm.version}`, () => {
    const lint = (...args: string[]) => runCli(['lint', ...args], { helmBin: helm.bin });

    it('helm create chart: the untagged busybox test hook is no-untagged-image, error, exit 1', async () => {
      const result = await lint(helmCreate, '--release', 'x', '--format', 'json');
      expect(result.exitCode).toBe(1);
      const report = jsonReport(result);
      expect(report.findings).toHaveLength(1);
      expect(report.findings[0]).toMatchObject({
        ruleId: 'no-untagged-image',
        severity: 'error',
        image: 'busybox',
        hook: 'test',
        resource: { kind: 'Pod', name: 'x-helm-create-test-connection' },
        template: 'helm-create/templates/tests/test-connection.yaml',
      });
      expect(report.images.find((image) => image.container.name === 'helm-create')?.class).toBe('version');
    });

    it('--set image.tag=latest gives no-latest-tag', async () => {
      const report = jsonReport(await lint(helmCreate, '--set', 'image.tag=latest', '--format', 'json'));
      const finding = report.findings.find((f) => f.ruleId === 'no-latest-tag');
      expect(finding).toMatchObject({ image: 'nginx:latest', severity: 'error', container: { name: 'helm-create', type: 'container' } });
    });

    it('--set image.tag=1.27.3 with the test hook skipped exits 0', async () => {
      const result = await lint(helmCreate, '--set', 'image.tag=1.27.3', '--skip-tests', '--format', 'json');
      expect(result.exitCode).toBe(0);
      expect(jsonReport(result).images.map((image) => image.image)).toEqual(['nginx:1.27.3']);
    });

    it('passes -f files to helm in order (the later file wins)', async () => {
      const a = join(fixtures, 'values', 'tag-latest.yaml');
      const b = join(fixtures, 'values', 'tag-1.0.0.yaml');
      const first = jsonReport(await lint(helmCreate, '--skip-tests', '-f', a, '-f', b, '--format', 'json'));
      const second = jsonReport(await lint(helmCreate, '--skip-tests', '-f', b, '--values', a, '--format', 'json'));
      expect(first.images[0]?.image).toBe('nginx:1.0.0');
      expect(second.images[0]?.image).toBe('nginx:latest');
    });

    it('renders in the namespace given with -n and in HELM_NAMESPACE', async () => {
      const viaFlag = jsonReport(await lint(helmCreate, '-n', 'prod', '--format', 'json', '--fail-on', 'never'));
      expect(viaFlag.targets[0]?.namespace).toBe('prod');
      const viaEnv = await runCli(['lint', helmCreate, '--format', 'json', '--fail-on', 'never'], {
        helmBin: helm.bin,
        env: { HELM_NAMESPACE: 'staging' },
      });
      expect(jsonReport(viaEnv).images.every((image) => image.resource.namespace === 'staging')).toBe(true);
    });

    it("shows helm's own message and the chart when rendering fails, exit 3, no stack trace", async () => {
      const chart = join(fixtures, 'charts', 'fails');
      const result = await lint(chart);
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toContain(`rendering ${chart} failed`);
      expect(result.stderr).toContain('fixture: this chart always refuses to render');
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(result.stdout).toBe('');
    });

    it('lints several charts, keeps going past one that fails, and exits 3', async () => {
      const result = await lint(join(fixtures, 'charts', 'fails'), join(fixtures, 'charts', 'pinned'), '--format', 'json');
      expect(result.exitCode).toBe(3);
      expect(jsonReport(result).targets.map((target) => target.chart)).toEqual([join(fixtures, 'charts', 'pinned')]);
    });
  });
}

describe('lint without rendering and its errors', () => {
  const helm = HELM_VERSIONS[0]!;
  const lint = (...args: string[]) => runCli(['lint', ...args], { helmBin: helm.bin });

  it('--manifest - lints YAML from stdin; --manifest FILE reports lines', async () => {
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: nginx:stable\n';
    const fromStdin = await runCli(['lint', '--manifest', '-', '--format', 'json'], { input: yaml });
    expect(fromStdin.exitCode).toBe(1);
    const report = jsonReport(fromStdin);
    expect(report.findings[0]).toMatchObject({ ruleId: 'no-mutable-tag', line: 7, image: 'nginx:stable' });
    expect(report.targets[0]).toMatchObject({ chart: null, manifest: '-' });
  });

  it('--output writes the report atomically to a file and leaves stdout empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imageguard-out-'));
    const file = join(dir, 'report.json');
    const result = await lint(join(fixtures, 'charts', 'pinned'), '--format', 'json', '-o', file);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ schemaVersion: 1, findings: [] });
  });

  it('--fail-on decides the exit code; --require-digest adds require-digest findings', async () => {
    const chart = join(fixtures, 'charts', 'pinned');
    expect((await lint(chart)).exitCode).toBe(0);
    const strict = await lint(chart, '--require-digest', '--format', 'json');
    expect(strict.exitCode).toBe(1);
    expect(jsonReport(strict).findings.map((f) => f.ruleId)).toEqual(['require-digest']);
    expect((await lint(join(fixtures, 'charts', 'latest-tag'), '--fail-on', 'never')).exitCode).toBe(0);
  });

  it('text output groups by chart, workload and container, without colour under NO_COLOR', async () => {
    const result = await lint(join(fixtures, 'charts', 'latest-tag'), '--release', 'r');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/latest-tag.*\n {2}Deployment\/r-web.*\n {4}web: nginx:latest \[latest\] error/);
    expect(result.stdout).toContain('no-latest-tag');
    expect(result.stdout).not.toContain('\u001b[');
  });

  it.each([
    [['lint', '/nonexistent/chart'], 2, 'chart not found: /nonexistent/chart'],
    [['lint', join(repoRoot, 'package.json')], 2, 'is a file'],
    [['lint', join(fixtures, 'values')], 2, 'has no Chart.yaml'],
    [['lint'], 2, 'nothing to lint'],
    [['lint', '--manifest', '/nonexistent.yaml'], 2, 'cannot read manifest /nonexistent.yaml'],
    [['lint', '--bogus'], 2, "unknown option '--bogus'"],
    [['lint', '--format', 'xml', 'x'], 2, "argument 'xml' is invalid"],
    [['lint', '--timeout', 'soon', 'x'], 2, 'is not a duration'],
  ])('%j exits %i with a clear message', async (args, code, fragment) => {
    const result = await runCli(args, { helmBin: helm.bin });
    expect(result.exitCode).toBe(code);
    expect(result.stderr).toContain(fragment);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  it('a missing HELM_BIN exits 3 naming it; a non-executable one too', async () => {
    const missing = await runCli(['lint', helmCreate], { helmBin: '/nonexistent/helm' });
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toContain('helm not found at /nonexistent/helm');
    const dir = mkdtempSync(join(tmpdir(), 'imageguard-helm-'));
    const notExecutable = join(dir, 'helm');
    writeFileSync(notExecutable, '#!/bin/sh\n');
    chmodSync(notExecutable, 0o644);
    const result = await runCli(['lint', helmCreate], { helmBin: notExecutable });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('is not executable');
  });

  it('rules lists every rule, as text and as JSON', async () => {
    const json = await runCli(['rules', '--format', 'json']);
    expect(json.exitCode).toBe(0);
    const parsed = JSON.parse(json.stdout) as { rules: { id: string; defaultSeverity: string }[] };
    expect(parsed.rules.map((rule) => rule.id)).toContain('no-latest-appversion');
    const text = await runCli(['rules']);
    expect(text.stdout).toMatch(/^no-latest-tag\s+error\s+Images must not use/m);
  });

  it('--help and --version exit 0', async () => {
    const help = await runCli(['lint', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('--set-json');
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toBe('0.1.0');
  });
});
