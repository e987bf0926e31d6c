import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, formatGithub } from '../../src/report/github.js';
import { FORMATTERS } from '../../src/report/index.js';
import type { Finding, Target } from '../../src/report/types.js';
import { chartFinding, chartTarget, imageFinding, makeReport, manifestTarget, suppressed } from '../helpers/report-builders.js';

const MESSAGE = imageFinding().message;

/** The annotation lines only (the last line is the summary notice). */
function annotations(findings: Finding[], targets?: Target[]): string[] {
  const lines = formatGithub(makeReport(findings, { targets })).split('\n');
  expect(lines.pop()).toBe('');
  expect(lines.pop()).toMatch(/^::notice::imageguard: /);
  return lines;
}

describe('formatGithub', () => {
  it('is registered as --format github', () => {
    expect(FORMATTERS.github(makeReport([]), { color: true })).toBe(formatGithub(makeReport([])));
  });

  it.each<[string, Finding, string]>([
    [
      'values line and column first',
      imageFinding({ values: [{ file: 'charts/demo/values.yaml', path: 'image.tag', line: 14, column: 8 }] }),
      `::error file=charts/demo/values.yaml,line=14,col=8,title=imageguard no-latest-tag::${MESSAGE}`,
    ],
    [
      'values line without a column',
      imageFinding({ values: [{ file: 'values.yaml', path: 'image.tag', line: 3 }] }),
      `::error file=values.yaml,line=3,title=imageguard no-latest-tag::${MESSAGE}`,
    ],
    [
      'template file when there is no values location',
      imageFinding({ severity: 'warning', ruleId: 'no-mutable-tag' }),
      `::warning file=charts/demo/templates/deployment.yaml,title=imageguard no-mutable-tag::${MESSAGE}`,
    ],
    [
      '--set is not a file',
      imageFinding({ severity: 'info', ruleId: 'no-floating-tag', values: [{ file: '--set', path: 'image.tag' }] }),
      `::notice file=charts/demo/templates/deployment.yaml,title=imageguard no-floating-tag::${MESSAGE}`,
    ],
    [
      'chart file and line for chart-level findings',
      chartFinding('charts/demo/Chart.yaml', 6),
      '::warning file=charts/demo/Chart.yaml,line=6,title=imageguard no-latest-appversion::appVersion is "latest".',
    ],
    [
      'no location at all',
      imageFinding({ template: null }),
      `::error title=imageguard no-latest-tag::${MESSAGE}`,
    ],
  ])('%s', (_name, finding, line) => {
    expect(annotations([finding])).toEqual([line]);
  });

  it('--manifest targets give the manifest file and rendered line', () => {
    expect(annotations([imageFinding({ line: 40 })], [manifestTarget('rendered.yaml')])).toEqual([
      `::error file=rendered.yaml,line=40,title=imageguard no-latest-tag::${MESSAGE}`,
    ]);
  });

  it('escapes message data and property values', () => {
    const finding = imageFinding({
      message: '100% "latest"\r\nnext: line, done',
      values: [{ file: 'dir,a/v:1.yaml', path: 'image.tag', line: 2 }],
    });
    expect(annotations([finding])).toEqual([
      '::error file=dir%2Ca/v%3A1.yaml,line=2,title=imageguard no-latest-tag::100%25 "latest"%0D%0Anext: line, done',
    ]);
  });

  it.each([
    ['%', '%25', '%25'],
    ['%0A', '%250A', '%250A'],
    ['a\nb', 'a%0Ab', 'a%0Ab'],
    ['a\rb', 'a%0Db', 'a%0Db'],
    ['a:b,c', 'a:b,c', 'a%3Ab%2Cc'],
  ])('escapes %j as data %s and property %s', (input, data, property) => {
    expect(escapeData(input)).toBe(data);
    expect(escapeProperty(input)).toBe(property);
  });

  it('one line per finding, suppressed findings left out, summary notice always last', () => {
    const report = makeReport([imageFinding(), imageFinding({ severity: 'warning' })], {
      targets: [chartTarget('./charts/demo')],
      suppressed: [suppressed(imageFinding({ message: 'hidden' }))],
    });
    const lines = formatGithub(report).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).not.toContain('hidden');
    expect(lines[2]).toBe('::notice::imageguard: 1 error, 1 warning, 0 info, 1 suppressed');
  });

  it('a clean run still prints the summary notice', () => {
    expect(formatGithub(makeReport([]))).toBe('::notice::imageguard: 0 errors, 0 warnings, 0 info\n');
  });
});
