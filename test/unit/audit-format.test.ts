/** Issue 8: text, json and markdown audit reports; every JSON report matches schemas/audit-report.schema.json. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/analyze.js';
import { AUDIT_CHECK_LIST } from '../../src/audit/checks.js';
import { AUDIT_FORMATTERS } from '../../src/audit/format.js';
import { parsePodList } from '../../src/audit/pods.js';
import { AUDIT_FORMATS, AUDIT_SCHEMA_VERSION, type AuditReport, type AuditTarget } from '../../src/audit/types.js';
import { expectValidAuditReport, fixture } from '../helpers/audit.js';
import { repoRoot } from '../helpers/helm.js';

const target = (overrides: Partial<AuditTarget> = {}): AuditTarget => ({
  release: null,
  revision: null,
  namespace: 'shop',
  allNamespaces: false,
  context: null,
  pods: 'kubectl',
  selector: null,
  helmVersion: null,
  ...overrides,
});

function report(file: string, overrides: Partial<AuditTarget> = {}): AuditReport {
  const pods = parsePodList(readFileSync(fixture(file), 'utf8'));
  const result = audit({ pods, release: null, selectReleasePods: true });
  return { schemaVersion: AUDIT_SCHEMA_VERSION, tool: { name: 'imageguard', version: '0.1.0' }, target: target(overrides), ...result };
}

const drift = report('deployment-drift.json');
const clean = report('workloads-clean.json', { allNamespaces: true, namespace: null, pods: 'pods.json' });
const empty: AuditReport = { ...report('deployment-drift.json'), workloads: [], findings: [], summary: { error: 0, warning: 0, info: 0, pods: 0, workloads: 0 } };

describe('audit formatters', () => {
  it('every format has a formatter', () => {
    expect(Object.keys(AUDIT_FORMATTERS).sort()).toEqual([...AUDIT_FORMATS].sort());
  });

  it.each([['drift', drift], ['clean', clean], ['empty', empty]])('json (%s) matches the schema and round-trips', (_label, value) => {
    const text = AUDIT_FORMATTERS.json(value, { color: false });
    expect(expectValidAuditReport(JSON.parse(text))).toEqual(value);
  });

  it('the schema lists exactly the checks there are', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'audit-report.schema.json'), 'utf8')) as {
      definitions: { finding: { properties: { check: { enum: string[] } } } };
    };
    expect(schema.definitions.finding.properties.check.enum).toEqual(AUDIT_CHECK_LIST.map((check) => check.id));
  });

  it('text: each digest with its pods and start times, newest marked, findings under the container', () => {
    const text = AUDIT_FORMATTERS.text(drift, { color: false });
    expect(text).toContain('imageguard audit: namespace shop, pods from kubectl');
    expect(text).toContain('Deployment/shop-web  5 pods');
    expect(text).toMatch(/sha256:5eb7e725e6ba {2}3 pods\n/);
    expect(text).toMatch(/sha256:80d6ae0197c2 {2}2 pods newest\n/);
    expect(text).toContain('shop-web-7d9f8c6b5d-t2w6r (started 2025-03-01T09:00:13Z, 1 restart, running since 2025-03-09T22:41:05Z, node kind-worker2)');
    expect(text).toMatch(/ {4}error mixed-digests 5 pods run 2 different images/);
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 error, 1 warning, 0 info (5 pods in 1 workload)');
    expect(text).not.toContain('\u001b[');
  });

  it('text: colour only when asked; all namespaces prefix workloads', () => {
    expect(AUDIT_FORMATTERS.text(drift, { color: true })).toContain('\u001b[31merror\u001b[0m');
    const text = AUDIT_FORMATTERS.text(clean, { color: false });
    expect(text).toContain('all namespaces, pods from pods.json');
    expect(text).toContain('shop/StatefulSet/shop-db');
    expect(text).toContain('init-perms (initContainer): busybox:1.36.1 [version]');
    expect(AUDIT_FORMATTERS.text(empty, { color: false })).toContain('no pods found');
  });

  it('markdown: a findings table and one table per workload, cells escaped', () => {
    const md = AUDIT_FORMATTERS.markdown(drift, { color: false });
    expect(md).toMatch(/^## imageguard audit\n/);
    expect(md).toContain('| Severity | Check | Workload | Container | Finding |');
    expect(md).toContain('| ❌ error | `mixed-digests` | `Deployment/shop-web` | `app` |');
    expect(md).toContain('### `Deployment/shop-web`');
    expect(md).toContain('`sha256:80d6ae0197c2` (newest)');
    const piped = { ...drift, findings: drift.findings.map((f) => ({ ...f, message: 'a | b\nc' })) };
    expect(AUDIT_FORMATTERS.markdown(piped, { color: false })).toContain('a \\| b c |');
    expect(AUDIT_FORMATTERS.markdown(clean, { color: false })).not.toContain('| Severity |');
  });
});
