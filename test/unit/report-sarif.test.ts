import { describe, expect, it } from 'vitest';
import { FORMATTERS } from '../../src/report/index.js';
import { formatSarif, ruleHelpUri } from '../../src/report/sarif.js';
import type { Report } from '../../src/report/types.js';
import { RULES } from '../../src/rules/index.js';
import { chartFinding, chartTarget, imageFinding, makeReport, manifestTarget, suppressed } from '../helpers/report-builders.js';
import { expectValidSarif, type SarifLog, type SarifResult } from '../helpers/sarif.js';

/** Every SARIF log a test looks at goes through the official schema first. */
function sarif(report: Report): SarifLog {
  const text = formatSarif(report);
  expect(text.endsWith('}\n')).toBe(true);
  return expectValidSarif(text);
}

function results(report: Report): SarifResult[] {
  const log = sarif(report);
  expect(log.runs).toHaveLength(1);
  return log.runs[0]!.results;
}

const VALUES = { file: 'charts/demo/values.yaml', path: 'image.tag', line: 14, column: 8 };

describe('formatSarif', () => {
  it('is registered as --format sarif', () => {
    expect(FORMATTERS.sarif(makeReport([]), { color: true })).toBe(formatSarif(makeReport([])));
  });

  it('the schema check rejects what code scanning would (so the other tests mean something)', () => {
    const log = JSON.parse(formatSarif(makeReport([imageFinding()]))) as SarifLog;
    expect(() => expectValidSarif({ ...log, version: '2.0.0' })).toThrow();
    log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri = 'my charts/values.yaml';
    expect(() => expectValidSarif(log)).toThrow();
  });

  it('a clean run has exactly one run with results: [] and the full rule list', () => {
    const log = sarif(makeReport([]));
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.results).toEqual([]);
    const driver = log.runs[0]!.tool.driver;
    expect(driver).toMatchObject({ name: 'imageguard', version: '0.1.0', informationUri: expect.stringMatching(/^https:\/\//) });
    expect(driver.rules.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
    for (const [index, rule] of RULES.entries()) {
      expect(driver.rules[index]).toEqual({
        id: rule.id,
        shortDescription: { text: rule.description },
        help: { text: rule.remediation },
        helpUri: `https://github.com/helm-imageguard/helm-imageguard/blob/main/docs/rules.md#${rule.id}`,
        defaultConfiguration: { level: expect.any(String) },
      });
    }
    expect(ruleHelpUri('no-latest-tag')).toMatch(/rules\.md#no-latest-tag$/);
  });

  it('maps default severities to SARIF levels (off -> none)', () => {
    const levels = Object.fromEntries(sarif(makeReport([])).runs[0]!.tool.driver.rules.map((r) => [r.id, r.defaultConfiguration.level]));
    expect(levels).toMatchObject({
      'no-latest-tag': 'error',
      'no-untagged-image': 'error',
      'require-digest': 'none',
    });
    const expected = { error: 'error', warning: 'warning', info: 'note', off: 'none' } as const;
    for (const rule of RULES) expect(levels[rule.id]).toBe(expected[rule.defaultSeverity]);
  });

  it.each([
    ['error', 'error'],
    ['warning', 'warning'],
    ['info', 'note'],
  ] as const)('a %s finding is level %s, with ruleId, ruleIndex and message', (severity, level) => {
    const [result] = results(makeReport([imageFinding({ severity, ruleId: 'no-mutable-tag' })]));
    expect(result).toMatchObject({
      ruleId: 'no-mutable-tag',
      ruleIndex: RULES.findIndex((rule) => rule.id === 'no-mutable-tag'),
      level,
      message: { text: imageFinding().message },
    });
  });

  it('the values line is the primary location and the template a related location', () => {
    const [result] = results(makeReport([imageFinding({ values: [VALUES] })]));
    expect(result!.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'charts/demo/values.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 14, startColumn: 8 },
        },
      },
    ]);
    expect(result!.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'charts/demo/templates/deployment.yaml', uriBaseId: '%SRCROOT%' } },
        message: { text: 'rendered by this template' },
      },
    ]);
  });

  it('a values entry without a column gives a region with startLine only', () => {
    const [result] = results(makeReport([imageFinding({ values: [{ file: 'values.yaml', path: 'image.tag', line: 3 }] })]));
    expect(result!.locations[0]!.physicalLocation.region).toEqual({ startLine: 3 });
  });

  it('without values the template is the primary location, with no region for charts', () => {
    const [result] = results(makeReport([imageFinding({ line: 40 })]));
    expect(result!.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'charts/demo/templates/deployment.yaml', uriBaseId: '%SRCROOT%' } } },
    ]);
    expect(result!.relatedLocations).toBeUndefined();
  });

  it('--set values are not files: the template stays primary, a later real values file wins', () => {
    const setOnly = imageFinding({ values: [{ file: '--set', path: 'image.tag' }, { file: '--set-string', path: 'image.tag' }] });
    const [a] = results(makeReport([setOnly]));
    expect(a!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('charts/demo/templates/deployment.yaml');
    const mixed = imageFinding({ values: [{ file: '--set', path: 'image.tag' }, VALUES] });
    const [b] = results(makeReport([mixed]));
    expect(b!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('charts/demo/values.yaml');
    const uris = JSON.stringify([a, b]);
    expect(uris).not.toContain('--set');
  });

  it('--manifest targets point at the manifest file and the rendered line', () => {
    const [result] = results(makeReport([imageFinding({ line: 40 })], { targets: [manifestTarget('out/rendered.yaml')] }));
    expect(result!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'out/rendered.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 40 },
    });
  });

  it('chart-level findings point at Chart.yaml file:line', () => {
    const [result] = results(makeReport([chartFinding('charts/demo/Chart.yaml', 6)]));
    expect(result).toMatchObject({ ruleId: 'no-latest-appversion', level: 'warning' });
    expect(result!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'charts/demo/Chart.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 6 },
    });
  });

  it('percent-encodes spaces; absolute paths become file: URIs without a uriBaseId', () => {
    const values = [{ file: '/home/me/my charts/values.yaml', path: 'image.tag', line: 1 }];
    const report = makeReport([imageFinding({ values })], { targets: [chartTarget('my charts/demo')] });
    const [result] = results(report);
    expect(result!.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'file:///home/me/my%20charts/values.yaml' });
    expect(result!.relatedLocations![0]!.physicalLocation.artifactLocation.uri).toBe('my%20charts/demo/templates/deployment.yaml');
  });

  it('suppressed findings are results with inSource (annotation) or external (config) suppressions', () => {
    const report = makeReport([], {
      suppressed: [
        suppressed(imageFinding()),
        suppressed(imageFinding({ container: { name: 'sidecar', type: 'container' } }), { source: 'config', reason: 'vendor image', expires: '2030-01-01' }),
      ],
    });
    const [annotation, config] = results(report);
    expect(annotation!.suppressions).toEqual([{ kind: 'inSource' }]);
    expect(config!.suppressions).toEqual([{ kind: 'external', justification: 'vendor image' }]);
    expect(results(makeReport([imageFinding()]))[0]!.suppressions).toBeUndefined();
  });

  it('fingerprints are stable across line moves and differ per container, image and rule', () => {
    const fp = (report: Report) => results(report)[0]!.partialFingerprints['imageguard/v1'];
    const base = fp(makeReport([imageFinding()]));
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(fp(makeReport([imageFinding({ line: 99, values: [VALUES] })]))).toBe(base);
    expect(fp(makeReport([imageFinding({ container: { name: 'other', type: 'container' } })]))).not.toBe(base);
    expect(fp(makeReport([imageFinding({ image: 'nginx' })]))).not.toBe(base);
    expect(fp(makeReport([imageFinding({ ruleId: 'no-mutable-tag' })]))).not.toBe(base);
    expect(fp(makeReport([imageFinding()], { targets: [chartTarget('./charts/other')] }))).not.toBe(base);
  });

  it('a mixed report stays schema-valid with one result per finding and suppressed finding', () => {
    const report = makeReport(
      [imageFinding({ values: [VALUES] }), imageFinding({ severity: 'info' }), chartFinding('Chart.yaml', 5), imageFinding({ target: 1 })],
      { targets: [chartTarget('./charts/demo'), manifestTarget('-')], suppressed: [suppressed(imageFinding())] },
    );
    const all = results(report);
    expect(all).toHaveLength(5);
    expect(all[3]!.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'stdin', uriBaseId: '%SRCROOT%' }, region: { startLine: 12 } });
  });
});
