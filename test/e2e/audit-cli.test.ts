/** Issue 8 through the built CLI with saved pod lists (--pods): exit codes, formats, malformed input. */
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidAuditReport, fixture, runAudit, tempDir } from '../helpers/audit.js';

const A = 'sha256:5eb7e725e6bac43f2a906437aa7be080081de786a7d12f7b9649be47b69d6ca0';
const B = 'sha256:80d6ae0197c2a3be4ec46d171996105891dedf626ea3040f2dd2bf00e63c436e';

let dir = '';
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('imageguard audit --pods FILE', () => {
  it('drift: exit 1; the text names the 2 pods on the newer digest with their start times', async () => {
    const { exitCode, stdout, stderr } = await runAudit(['--pods', fixture('deployment-drift.json')]);
    expect(exitCode).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/sha256:80d6ae0197c2 {2}2 pods newest\n {6}shop-web-7d9f8c6b5d-t2w6r \(started 2025-03-01T09:00:13Z, 1 restart, running since 2025-03-09T22:41:05Z, node kind-worker2\)\n {6}shop-web-7d9f8c6b5d-h7j3s \(started 2025-03-10T06:12:40Z, node kind-worker4\)/);
    expect(stdout).toContain('error mixed-digests 5 pods run 2 different images behind registry.example.com/shop/app:latest');
  });

  it('json: a schema-valid report with the digests oldest first and the newest pods', async () => {
    const { exitCode, report } = await runAudit(['--pods', fixture('deployment-drift.json'), '--format', 'json']);
    expect(exitCode).toBe(1);
    expect(report!.target).toMatchObject({ release: null, pods: fixture('deployment-drift.json'), namespace: null });
    const mixed = report!.findings.find((f) => f.check === 'mixed-digests')!;
    expect(mixed.digests).toEqual([A, B]);
    expect(mixed.pods).toEqual(['shop-web-7d9f8c6b5d-t2w6r', 'shop-web-7d9f8c6b5d-h7j3s']);
    expect(report!.summary).toEqual({ error: 1, warning: 1, info: 0, pods: 5, workloads: 1 });
  });

  it('markdown, written with -o to a file (stdout stays empty)', async () => {
    const out = join(dir, 'audit.md');
    const { exitCode, stdout } = await runAudit(['--pods', fixture('deployment-drift.json'), '--format', 'markdown', '-o', out]);
    expect(exitCode).toBe(1);
    expect(stdout).toBe('');
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('| ❌ error | `mixed-digests` | `Deployment/shop-web` | `app` |');
    expect(md).toContain('**1 error, 1 warning, 0 info** (5 pods in 1 workload)');
  });

  it('StatefulSet, DaemonSet (three imageID forms), init container, CronJob and bare pods, all consistent: exit 0', async () => {
    const { exitCode, report } = await runAudit(['--pods', fixture('workloads-clean.json'), '--format', 'json']);
    expect(exitCode).toBe(0);
    expect(report!.findings).toEqual([]);
    expect(report!.workloads.map((w) => `${w.resource.kind}/${w.resource.name}:${w.containers.map((c) => c.digests.length).join(',')}`)).toEqual([
      'CronJob/shop-report:1',
      'DaemonSet/shop-agent:1',
      'Pod/debug-shell:1',
      'StatefulSet/shop-db:1,1',
    ]);
  });

  it('warnings fail only with --fail-on warning; pods from stdin', async () => {
    const input = readFileSync(fixture('release-drift.json'), 'utf8');
    const plain = await runAudit(['--pods', '-'], { input });
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toContain('0 errors, 2 warnings, 0 info (4 pods in 2 workloads)');
    expect(plain.stdout).toContain('pods from stdin');
    const strict = await runAudit(['--pods', '-', '--fail-on', 'warning'], { input });
    expect(strict.exitCode).toBe(1);
    expect((await runAudit(['--pods', fixture('deployment-drift.json'), '--fail-on', 'never'])).exitCode).toBe(0);
  });

  it('-n narrows a saved list to one namespace', async () => {
    const { report } = await runAudit(['--pods', fixture('deployment-drift.json'), '-n', 'elsewhere', '--format', 'json']);
    expect(report!.summary.pods).toBe(0);
    expect(report!.target.namespace).toBe('elsewhere');
  });
});

describe('acceptance 3: a malformed pods file is a usage error (exit 2) naming the file and the problem', () => {
  it.each([
    ['broken.json', '{\n  "kind": "List",\n  "items": [\n    {"metadata": {"name": "a"}}\n    {}\n  ]\n}', /^imageguard: --pods .*broken\.json: invalid JSON: Expected ',' or '\]' after array element at line 5, column 5$/],
    ['deployments.json', '{"kind": "List", "items": [{"kind": "Deployment", "metadata": {"name": "web"}}]}', /deployments\.json: it holds no Pods \(found Deployment\): expected the output of `kubectl get pods -o json`/],
    ['nameless.yaml', 'kind: List\nitems:\n  - kind: Pod\n    metadata: {}\n', /nameless\.yaml: items\[0\]\.metadata\.name: missing \(expected a non-empty string\)$/],
    ['status-number.json', '{"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "a"}}, {"kind": "Pod", "metadata": {"name": "b"}, "status": 7}]}', /^imageguard: --pods .*status-number\.json: items\[1\]\.status: expected an object, got the number 7$/],
    ['empty.json', '', /empty\.json: it is empty$/],
  ])('%s', async (name, content, message) => {
    const file = join(dir, name);
    await writeFile(file, content);
    const { exitCode, stdout, stderr } = await runAudit(['--pods', file]);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
  });

  it('a missing file, and kubectl-only flags with --pods', async () => {
    const missing = await runAudit(['--pods', join(dir, 'nope.json')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe(`imageguard: --pods ${join(dir, 'nope.json')}: file not found`);
    const selector = await runAudit(['--pods', fixture('deployment-drift.json'), '-l', 'app=web']);
    expect(selector.exitCode).toBe(2);
    expect(selector.stderr).toContain('--selector chooses what kubectl lists; it does not apply to --pods');
  });

  it('commander usage errors exit 2', async () => {
    const { exitCode, stderr } = await runAudit(['--format', 'yaml']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain("argument 'yaml' is invalid");
  });

  it('the JSON schema rejects a report that breaks the contract', () => {
    const report = JSON.parse('{"schemaVersion": 2}') as unknown;
    expect(() => expectValidAuditReport(report)).toThrow();
  });
});
