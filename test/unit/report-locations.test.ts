import { describe, expect, it } from 'vitest';
import { artifactUri, findingLocation, templateFile } from '../../src/report/locations.js';
import type { Target } from '../../src/report/types.js';
import { chartFinding, chartTarget, imageFinding, makeReport, manifestTarget } from '../helpers/report-builders.js';

describe('templateFile', () => {
  it.each<[string, Target, string | null, string | null]>([
    ['local chart with ./', chartTarget('./charts/demo'), 'demo/templates/deployment.yaml', 'charts/demo/templates/deployment.yaml'],
    ['local chart, other name on disk', chartTarget('../shared/corpus/helm-create'), 'helm-create/templates/tests/t.yaml', '../shared/corpus/helm-create/templates/tests/t.yaml'],
    ['subchart template', chartTarget('charts/parent'), 'parent/charts/sub/templates/x.yaml', 'charts/parent/charts/sub/templates/x.yaml'],
    ['chart is the cwd', chartTarget('.'), 'demo/templates/x.yaml', 'templates/x.yaml'],
    ['trailing slash', chartTarget('demo/'), 'demo/templates/x.yaml', 'demo/templates/x.yaml'],
    ['absolute chart path', chartTarget('/src/charts/demo'), 'demo/templates/x.yaml', '/src/charts/demo/templates/x.yaml'],
    ['windows separators', chartTarget('.\\charts\\demo'), 'demo/templates/x.yaml', 'charts/demo/templates/x.yaml'],
    ['packaged .tgz', chartTarget('dist/demo-1.0.0.tgz'), 'demo/templates/x.yaml', 'demo/templates/x.yaml'],
    ['packaged .tar.gz', chartTarget('demo-1.0.0.tar.gz'), 'demo/templates/x.yaml', 'demo/templates/x.yaml'],
    ['oci reference', chartTarget('oci://ghcr.io/acme/demo'), 'demo/templates/x.yaml', 'demo/templates/x.yaml'],
    ['https url', chartTarget('https://example.com/demo-1.0.0.tgz'), 'demo/templates/x.yaml', 'demo/templates/x.yaml'],
    ['no # Source: comment', chartTarget('./charts/demo'), null, null],
    ['--manifest file', manifestTarget('./out/rendered.yaml'), 'demo/templates/x.yaml', 'out/rendered.yaml'],
    ['--manifest stdin', manifestTarget('-'), null, 'stdin'],
  ])('%s', (_name, target, template, expected) => {
    expect(templateFile(target, template)).toBe(expected);
  });
});

describe('artifactUri', () => {
  it.each([
    ['charts/demo/values.yaml', 'charts/demo/values.yaml', true],
    ['./values.yaml', 'values.yaml', true],
    ['my charts/values prod.yaml', 'my%20charts/values%20prod.yaml', true],
    ['a:b/values.yaml', 'a%3Ab/values.yaml', true],
    ['charts\\demo\\values.yaml', 'charts/demo/values.yaml', true],
    ['../shared/x.yaml', '../shared/x.yaml', true],
    ['/abs/dir with space/values.yaml', 'file:///abs/dir%20with%20space/values.yaml', false],
    ['C:\\work\\values.yaml', 'file:///C:/work/values.yaml', false],
  ])('%s -> %s', (file, uri, relative) => {
    expect(artifactUri(file)).toEqual({ uri, relative });
  });
});

describe('findingLocation', () => {
  const values = [{ file: 'charts/demo/values.yaml', path: 'image.tag', line: 14, column: 8 }];
  const template = { file: 'charts/demo/templates/deployment.yaml' };

  it('prefers the values line and keeps the template beside it', () => {
    expect(findingLocation(makeReport([]), imageFinding({ values }))).toEqual({
      primary: { file: 'charts/demo/values.yaml', line: 14, column: 8 },
      template,
    });
  });

  it('skips --set pseudo files', () => {
    const finding = imageFinding({ values: [{ file: '--set', path: 'image.tag' }, { file: '--set-string', path: 'image.tag' }] });
    expect(findingLocation(makeReport([]), finding)).toEqual({ primary: template, template: null });
  });

  it('uses the template without a line for charts (the rendered-stream line is not a line of the template)', () => {
    expect(findingLocation(makeReport([]), imageFinding({ line: 40 })).primary).toEqual(template);
  });

  it('uses the manifest file and line for --manifest targets', () => {
    const report = makeReport([], { targets: [manifestTarget('rendered.yaml')] });
    expect(findingLocation(report, imageFinding({ line: 40 })).primary).toEqual({ file: 'rendered.yaml', line: 40 });
  });

  it('uses file:line for chart-level findings', () => {
    expect(findingLocation(makeReport([]), chartFinding('charts/demo/Chart.yaml', 6))).toEqual({
      primary: { file: 'charts/demo/Chart.yaml', line: 6 },
      template: null,
    });
  });

  it('a values file inside a packaged chart: the archive is the file, the place inside it goes to inArchive', () => {
    const packaged = [{ file: 'charts/demo/charts/common-2.31.0.tgz:common/values.yaml', path: 'image.tag', line: 12, column: 3 }];
    expect(findingLocation(makeReport([]), imageFinding({ values: packaged })).primary).toEqual({
      file: 'charts/demo/charts/common-2.31.0.tgz',
      inArchive: 'common/values.yaml:12:3',
    });
    expect(findingLocation(makeReport([]), chartFinding('dist/demo-1.0.0.tgz:demo/Chart.yaml', 6)).primary).toEqual({
      file: 'dist/demo-1.0.0.tgz',
      inArchive: 'demo/Chart.yaml:6',
    });
  });

  it('has no location when nothing is known', () => {
    expect(findingLocation(makeReport([]), imageFinding({ template: null })).primary).toBeNull();
  });
});
