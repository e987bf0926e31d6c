/**
 * `lint --format sarif` and `--format github` through the built CLI with real Helm 3 (one helm is enough: the
 * formats only read the report). Values provenance may or may not be filled in: assertions hold either way.
 */
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { corpusDir, loadCorpus } from '../helpers/corpus.js';
import { assertHelmBinaries, HELM_VERSIONS, repoRoot } from '../helpers/helm.js';
import { expectValidSarif, type SarifLog, type SarifResult } from '../helpers/sarif.js';

const helm3 = HELM_VERSIONS.find((helm) => helm.major === 3)!;
const corpus = loadCorpus();
const charts = join(repoRoot, 'test', 'fixtures', 'charts');
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

async function lint(args: string[], expectedExit = 0) {
  const result = await runCli(['lint', ...args, '--release', 'x', '--kube-version', '1.32.0'], { helmBin: helm3.bin });
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.exitCode, result.stderr).toBe(expectedExit);
  return result;
}

async function lintSarif(chart: string, ...extra: string[]): Promise<SarifLog> {
  const result = await lint([chart, ...extra, '--format', 'sarif', '--fail-on', 'never']);
  expect(result.stderr).toBe('');
  const log = expectValidSarif(result.stdout);
  expect(log.runs).toHaveLength(1);
  return log;
}

function uris(result: SarifResult): string[] {
  return [...result.locations, ...(result.relatedLocations ?? [])].map((l) => l.physicalLocation.artifactLocation.uri);
}

beforeAll(() => assertHelmBinaries([helm3]));

describe.skipIf(corpus === null)(`lint --format sarif on the corpus (Helm ${helm3.version})`, () => {
  // A relative chart path, as in CI: locations are relative URIs read against %SRCROOT%.
  it.each(corpus?.charts.map((chart) => [chart.chart]) ?? [])('chart %s: valid SARIF 2.1.0', async (name) => {
    const log = await lintSarif(relative(repoRoot, join(corpusDir, name)));
    for (const result of log.runs[0]!.results) {
      expect(result.locations.length).toBeGreaterThan(0);
      expect(result.partialFingerprints['imageguard/v1']).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  // Variants set tags and digests from a -f file: results at values locations, when provenance knows them.
  it.each(corpus?.variants.map((variant) => [variant.values_file, variant.chart]) ?? [])('variant %s: valid SARIF 2.1.0', async (file, name) => {
    const log = await lintSarif(relative(repoRoot, join(corpusDir, name)), '-f', relative(repoRoot, join(corpusDir, file)));
    for (const result of log.runs[0]!.results) expect(result.locations.length).toBeGreaterThan(0);
  });

  it('helm-create: the untagged busybox test hook is a no-untagged-image result at its template', async () => {
    const chart = relative(repoRoot, join(corpusDir, 'helm-create'));
    const log = await lintSarif(chart);
    const result = log.runs[0]!.results.find((r) => r.ruleId === 'no-untagged-image');
    expect(result).toMatchObject({ level: 'error', message: { text: expect.stringContaining('busybox') } });
    // Primary when there is no values location, related otherwise.
    expect(uris(result!)).toContain(`${chart}/templates/tests/test-connection.yaml`);
    expect(result!.locations[0]!.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
  });
});

describe(`lint --format sarif / github on fixtures (Helm ${helm3.version})`, () => {
  it('a pinned chart gives one run with results: []', async () => {
    const log = await lintSarif(join(charts, 'pinned'));
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules.length).toBeGreaterThan(0);
  });

  it('--format github on a latest-tag chart prints an error annotation and the summary notice, exit 1', async () => {
    const result = await lint([join(charts, 'latest-tag'), '--format', 'github'], 1);
    const lines = result.stdout.trimEnd().split('\n');
    const annotation = lines.find((line) => line.startsWith('::error ') && line.includes('title=imageguard no-latest-tag::'));
    expect(annotation, result.stdout).toBeDefined();
    expect(annotation).toMatch(/^::error file=[^,]+\.yaml(,line=\d+(,col=\d+)?)?,title=imageguard no-latest-tag::.*latest/);
    expect(lines.at(-1)).toMatch(/^::notice::imageguard: \d+ errors?, /);
  });
});

describe.skipIf(corpus === null)('SARIF locations with values provenance', () => {
  it('the primary location is the values line (-f file), the template a related location', async () => {
    const chart = relative(repoRoot, join(corpusDir, 'helm-create'));
    const file = relative(repoRoot, join(corpusDir, '_variants', 'helm-create--tag-latest.yaml'));
    const log = await lintSarif(chart, '-f', file);
    const result = log.runs[0]!.results.find((r) => r.ruleId === 'no-latest-tag')!;
    expect(result.locations[0]!.physicalLocation).toMatchObject({
      artifactLocation: { uri: file, uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 8 },
    });
    expect(result.relatedLocations?.map((l) => l.physicalLocation.artifactLocation.uri)).toContain(
      `${chart}/templates/deployment.yaml`,
    );
  });

  it('--format github annotates the values line', async () => {
    const result = await lint([join(charts, 'latest-tag'), '--format', 'github'], 1);
    expect(result.stdout).toContain(`::error file=${join(charts, 'latest-tag')}/values.yaml,line=3,col=8,title=imageguard no-latest-tag::`);
  });
});
