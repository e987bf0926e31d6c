/**
 * Acceptance 1 and 3 of issue 2: every corpus chart (and every _variants values file) rendered by Helm 3 and
 * Helm 4 reports exactly the images MANIFEST.json lists, with an agreeing class.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonReport, runCli } from '../helpers/cli.js';
import { CLASS_MAP, corpusDir, loadCorpus, manifestKey, reportKey, type ManifestImage } from '../helpers/corpus.js';
import { assertHelmBinaries, HELM_VERSIONS } from '../helpers/helm.js';

const corpus = loadCorpus();
// Where imageguard's class differs from MANIFEST.json on purpose: `key` -> reason. Kept empty unless needed.
const DISAGREEMENTS: Record<string, string> = {};

async function lintJson(helmBin: string, args: string[]) {
  const result = await runCli(['lint', ...args, '--release', 'x', '--kube-version', '1.32.0', '--format', 'json', '--fail-on', 'never'], {
    helmBin,
  });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return jsonReport(result);
}

function expectSameImages(reported: ReturnType<typeof jsonReport>, expected: readonly ManifestImage[]): void {
  expect(reported.images.map(reportKey).sort()).toEqual(expected.map(manifestKey).sort());
  for (const image of expected) {
    const match = reported.images.find((record) => reportKey(record) === manifestKey(image))!;
    if (DISAGREEMENTS[manifestKey(image)]) continue;
    expect(CLASS_MAP[image.class], `${manifestKey(image)}: ${image.class} vs ${match.class}`).toContain(match.class);
  }
}

describe.skipIf(corpus === null)('lint on the corpus', () => {
  beforeAll(() => assertHelmBinaries());

  it('lists no disagreement with MANIFEST.json', () => {
    expect(Object.keys(DISAGREEMENTS)).toEqual([]);
  });

  for (const helm of HELM_VERSIONS) {
    describe(`Helm ${helm.version}`, () => {
      it.each(corpus?.charts.map((chart) => [chart.chart, chart] as const) ?? [])(
        'chart %s: exactly the MANIFEST images and classes',
        async (name, chart) => {
          const report = await lintJson(helm.bin, [join(corpusDir, name)]);
          expect(report.targets[0]?.helmVersion).toBe(helm.version);
          expectSameImages(report, chart.images);
        },
      );

      it.each(corpus?.variants.map((variant) => [variant.values_file, variant] as const) ?? [])(
        'variant %s: the latest and digest images it lists',
        async (valuesFile, variant) => {
          const report = await lintJson(helm.bin, [join(corpusDir, variant.chart), '-f', join(corpusDir, valuesFile)]);
          expectSameImages(report, variant.images);
          const flagged = report.findings.map((finding) => finding.image);
          for (const image of variant.images.filter((i) => i.class === 'latest')) expect(flagged).toContain(image.image);
          for (const image of variant.images.filter((i) => i.class === 'digest')) {
            expect(report.images.find((record) => record.image === image.image)?.reference?.digest).toMatch(/^sha256:/);
          }
        },
      );
    });
  }
});
