import { describe, expect, it } from 'vitest';
import type { ImageUse } from '../../src/manifest/types.js';
import { diffRevisions } from '../../src/release/diff.js';
import { RELEASE_FORMATTERS } from '../../src/release/format.js';
import { formatReleaseMarkdown } from '../../src/release/format-markdown.js';
import { formatReleaseText } from '../../src/release/format-text.js';
import { diffReport, RELEASE_FORMATS, rollbackCheckReport, rollbackTimelineReport, type ReleaseRef, type ReleaseReport } from '../../src/release/report.js';
import { rollbackTimeline } from '../../src/release/timeline.js';
import type { RevisionImages } from '../../src/release/types.js';
import { checkRollback } from '../../src/release/verdict.js';
import { expectValidReleaseReport } from '../helpers/release-schema.js';
import { classified } from '../helpers/rule-tester.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const release: ReleaseRef = { name: 'web', namespace: 'prod', helmVersion: 'v3.17.3' };

function revision(n: number, images: (string | [string, Partial<ImageUse>])[]): RevisionImages {
  return {
    info: { revision: n, status: n === 3 ? 'deployed' : 'superseded', chart: 'demo-0.1.0', appVersion: '1.0', updated: `2026-01-0${n}T10:00:00Z`, description: '' },
    uses: images.map((entry) => (typeof entry === 'string' ? classified(entry) : classified(entry[0], entry[1]))),
  };
}

const test = (image: string): [string, Partial<ImageUse>] => [image, { hook: 'test', container: { name: 'wget', type: 'container' } }];
const r1 = revision(1, [`nginx:1.25.3@${DIGEST}`, test('busybox')]);
const r2 = revision(2, ['nginx:latest', test('busybox')]);
const r3 = revision(3, ['nginx:latest', test('busybox:1.36.1')]);

function reports(): ReleaseReport[] {
  return [
    diffReport(release, r2.info, r3.info, diffRevisions(r2, r3)),
    diffReport(release, r2.info, r3.info, []),
    rollbackCheckReport(release, r3.info, r2.info, checkRollback(r3, r2, { hooksRun: true }), true),
    rollbackCheckReport(release, r3.info, r1.info, checkRollback(r3, r1, { hooksRun: true }), true),
    rollbackCheckReport(release, r3.info, r1.info, [], false),
    rollbackTimelineReport(release, r3.info, rollbackTimeline(r3, [r3, r1, r2], { hooksRun: true }), true),
  ];
}

describe('release formatters', () => {
  it('has one formatter per format', () => {
    expect(Object.keys(RELEASE_FORMATTERS).sort()).toEqual([...RELEASE_FORMATS].sort());
  });

  it.each(reports().map((report, i) => [i, report.kind, report] as const))('JSON %i (%s) matches schemas/release-report.schema.json, schemaVersion and kind first', (_i, _kind, report) => {
    const text = RELEASE_FORMATTERS.json(report, { color: true });
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text) as object).slice(0, 2)).toEqual(['schemaVersion', 'kind']);
    expectValidReleaseReport(JSON.parse(text));
  });

  it('the schema rejects an unknown verdict and a missing field', () => {
    const report = JSON.parse(RELEASE_FORMATTERS.json(reports()[2]!, { color: false })) as { containers: { verdict: string }[]; outcome?: string };
    report.containers[0]!.verdict = 'fine';
    delete report.outcome;
    expect(() => expectValidReleaseReport(report)).toThrow();
  });

  it('diff text: a table with both images and classes, hooks marked, and a count line', () => {
    const text = formatReleaseText(reports()[0]!, { color: false });
    expect(text.split('\n')).toEqual([
      'Release web (namespace prod): images of revision 2 (superseded, demo-0.1.0) -> revision 3 (deployed, demo-0.1.0)',
      'CHANGE     RESOURCE                    CONTAINER  REVISION 2             REVISION 3',
      'unchanged  Deployment/web              app        nginx:latest (latest)  nginx:latest (latest)',
      'changed    Deployment/web (hook test)  wget       busybox (untagged)     busybox:1.36.1 (version)',
      '1 changed, 0 added, 0 removed, 1 unchanged',
      '',
    ]);
    expect(formatReleaseText(reports()[1]!, { color: false })).toContain('Neither revision has any container image.');
  });

  it('rollback-check text: errors first, each message, and the answer on the last line', () => {
    const lines = formatReleaseText(reports()[2]!, { color: false }).trimEnd().split('\n');
    expect(lines[0]).toBe('Rolling back release web (namespace prod) from revision 3 (deployed, demo-0.1.0) to revision 2 (superseded, demo-0.1.0):');
    expect(lines[1]).toMatch(/^ {2}error {2}no-op {11}rolling back to 2 changes nothing for container app \(Deployment\/web\): both revisions say nginx:latest\./);
    expect(lines[2]).toMatch(/^ {2}info {3}mutable-target {2}rolling back to 2 sets container wget \(Deployment\/web, hook test\) to busybox/);
    expect(lines.at(-1)).toBe("UNSAFE: 1 container would not get revision 2's image (1 no-op).");
    expect(formatReleaseText(reports()[3]!, { color: false })).toContain("SAFE: every container the rollback starts is pinned by digest to revision 1's image.");
    expect(formatReleaseText(reports()[4]!, { color: false })).toContain('SAFE: the rollback starts no container image of revision 1.');
  });

  it('timeline text: one row per revision, the current one marked', () => {
    const text = formatReleaseText(reports()[5]!, { color: false });
    expect(text).toMatch(/\n1 +superseded +2026-01-01T10:00:00Z +demo-0\.1\.0 +1\.0 +SAFE +every image pinned by digest\n/);
    expect(text).toMatch(/\n2 +superseded .* UNSAFE +1 no-op\n/);
    expect(text).toMatch(/\n3 +deployed .* current +the revision a rollback replaces\n/);
    expect(text).toContain('Revisions a rollback restores exactly: 1.');
  });

  it('colour only when asked', () => {
    for (const report of reports()) {
      expect(formatReleaseText(report, { color: false })).not.toContain('\u001b[');
      expect(formatReleaseText(report, { color: true })).toContain('\u001b[');
    }
  });

  it('markdown: tables for diff, check and timeline; pipes in cells are escaped', () => {
    const [diff, , check, , , timeline] = reports();
    expect(formatReleaseMarkdown(diff!)).toContain('| unchanged | Deployment/web | app | `nginx:latest` latest | `nginx:latest` latest |');
    const checkText = formatReleaseMarkdown(check!);
    expect(checkText).toContain('### Rollback of `web` (namespace prod): revision 3 (deployed, demo-0.1.0) → revision 2 (superseded, demo-0.1.0): **unsafe**');
    expect(checkText).toContain('| error | **no-op** | Deployment/web | app | `nginx:latest` latest | `nginx:latest` latest |');
    expect(checkText).toMatch(/\n- error: rolling back to 2 changes nothing for container app/);
    expect(formatReleaseMarkdown(timeline!)).toContain('| 2 | superseded | 2026-01-02T10:00:00Z | demo-0.1.0 | 1.0 | **unsafe** | 1 no-op |');
    const piped = diffReport(release, r2.info, r3.info, diffRevisions(revision(2, [['a:1.0.0', { resource: { apiVersion: 'v1', kind: 'Pod', namespace: null, name: 'x|y' } }]]), r3));
    expect(formatReleaseMarkdown(piped)).toContain('Pod/x\\|y');
  });
});
