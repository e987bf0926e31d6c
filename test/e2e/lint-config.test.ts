/** Issue 3 acceptance 4-5: configuration and exemptions end to end; many charts at once. */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonReport, runCli } from '../helpers/cli.js';
import { corpusDir, loadCorpus } from '../helpers/corpus.js';
import { assertHelmBinaries, HELM_VERSIONS, repoRoot } from '../helpers/helm.js';

const helm = HELM_VERSIONS[0]!;
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

beforeAll(() => assertHelmBinaries());

/** A temporary copy of the helm create chart with a config file beside (or above) it. */
function chartWithConfig(config: string, where: 'chart' | 'parent' = 'chart'): string {
  const root = mkdtempSync(join(tmpdir(), 'imageguard-config-'));
  const chart = join(root, 'charts-repo', 'web');
  cpSync(join(corpusDir, 'helm-create'), chart, { recursive: true });
  writeFileSync(join(where === 'chart' ? chart : root, '.imageguard.yaml'), config);
  return chart;
}

const lint = (...args: string[]) => runCli(['lint', ...args, '--release', 'x'], { helmBin: helm.bin });

describe('configuration', () => {
  it('is found from the chart upwards; ignore entries suppress with their reason', async () => {
    const chart = chartWithConfig(
      'ignore:\n  - image: busybox\n    rule: no-untagged-image\n    reason: helm test pod, never deployed to prod\n',
      'parent',
    );
    const result = await lint(chart, '--format', 'json');
    expect(result.exitCode).toBe(0);
    const report = jsonReport(result);
    expect(report.findings).toEqual([]);
    expect(report.suppressed[0]).toMatchObject({
      ruleId: 'no-untagged-image',
      suppression: { source: 'config', reason: 'helm test pod, never deployed to prod', expires: null },
    });
  });

  it('an expired ignore entry stops applying and is reported on stderr', async () => {
    const chart = chartWithConfig('ignore:\n  - image: busybox\n    reason: temporary\n    expires: 2020-01-31\n');
    const result = await lint(chart, '--format', 'json');
    expect(result.exitCode).toBe(1);
    expect(jsonReport(result).findings.map((f) => f.ruleId)).toEqual(['no-untagged-image']);
    expect(result.stderr).toMatch(/\.imageguard\.yaml:2: ignore entry expired on 2020-01-31/);
  });

  it('rule severities and mutable tags from the config apply (and no-latest-appversion points at Chart.yaml)', async () => {
    const chart = chartWithConfig('rules:\n  no-untagged-image: warning\nmutableTags: ["1.16.0"]\n');
    const report = jsonReport(await lint(chart, '--format', 'json', '--fail-on', 'never'));
    expect(report.findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['no-mutable-tag', 'error'],
      ['no-untagged-image', 'warning'],
      ['no-latest-appversion', 'error'],
    ]);
    expect(report.findings[2]).toMatchObject({ file: join(chart, 'Chart.yaml'), line: 24, image: null });
  });

  it.each([
    ['rules:\n  no-latest-tags: error\n', '.imageguard.yaml:2: rules.no-latest-tags: unknown rule id'],
    ['ignore:\n  - image: busybox\n', "ignore[0]: must have required property 'reason'"],
    ['requireDigest: "yes"\n', 'requireDigest'],
    ['rules: [\n', 'invalid YAML'],
  ])('an invalid config gives a precise error and exit 2 (%j)', async (config, fragment) => {
    const chart = chartWithConfig(config);
    const result = await lint(chart);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(fragment);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stdout).toBe('');
  });

  it('--config names the file to use; a missing one is exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imageguard-cfg-'));
    const file = join(dir, 'strict.yaml');
    writeFileSync(file, 'requireDigest: true\n');
    const report = jsonReport(await lint(join(repoRoot, 'test/fixtures/charts/pinned'), '--config', file, '--format', 'json'));
    expect(report.findings.map((f) => f.ruleId)).toEqual(['require-digest']);
    const missing = await lint(join(repoRoot, 'test/fixtures/charts/pinned'), '--config', join(dir, 'nope.yaml'));
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('config file not found');
  });
});

const corpus = loadCorpus();

describe.skipIf(corpus === null)('many charts', () => {
  it('--recursive lints every corpus chart concurrently, in a stable order across runs', async () => {
    const args = ['lint', '--recursive', corpusDir, '--format', 'json', '--fail-on', 'never', '--kube-version', '1.32.0', '--jobs', '2'];
    const first = jsonReport(await runCli(args, { helmBin: helm.bin }));
    const second = jsonReport(await runCli(args, { helmBin: helm.bin }));
    const charts = corpus!.charts.map((chart) => join(corpusDir, chart.chart)).sort();
    expect(first.targets.map((t) => t.chart)).toEqual(charts);
    expect(second.targets.map((t) => t.chart)).toEqual(first.targets.map((t) => t.chart));
    const order = (report: typeof first) => report.images.map((i) => `${i.target} ${i.resource.kind} ${i.container.name} ${i.image}`);
    expect(order(second)).toEqual(order(first));
    expect(first.images.length).toBe(corpus!.charts.reduce((sum, chart) => sum + chart.images.length, 0));
  });
});
