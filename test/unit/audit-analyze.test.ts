/** Issue 8 acceptance 1 and 2, on the pure audit: kubectl-shaped pod lists in, workloads and findings out. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { audit, auditFails, type AuditResult } from '../../src/audit/analyze.js';
import { parsePodList } from '../../src/audit/pods.js';
import { belongsToRelease, matchesSelector, releaseView } from '../../src/audit/release.js';
import type { Pod } from '../../src/audit/types.js';
import { parseManifestStream } from '../../src/manifest/parse.js';
import { fixture } from '../helpers/audit.js';

const A = 'sha256:5eb7e725e6bac43f2a906437aa7be080081de786a7d12f7b9649be47b69d6ca0';
const B = 'sha256:80d6ae0197c2a3be4ec46d171996105891dedf626ea3040f2dd2bf00e63c436e';
const C = 'sha256:2b5e232c28c66e9347feb7da7f8fddd04dab93de3da5081f10734a83e5cd1bd1';

const pods = (name: string): Pod[] => parsePodList(readFileSync(fixture(name), 'utf8'));
const run = (list: Pod[]): AuditResult => audit({ pods: list, release: null, selectReleasePods: true });
const checks = (result: AuditResult) => result.findings.map((f) => `${f.severity} ${f.check} ${f.resource.kind}/${f.resource.name}`);

// What `helm get manifest shop` prints for test/fixtures/audit/shop with image.digest set (and db enabled).
const MANIFEST = `---
# Source: shop/templates/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: shop, app.kubernetes.io/instance: shop, app.kubernetes.io/component: web}
  template:
    metadata:
      labels: {app.kubernetes.io/name: shop, app.kubernetes.io/instance: shop, app.kubernetes.io/component: web}
    spec:
      containers:
        - name: app
          image: registry.example.com/shop/app@${A}
---
# Source: shop/templates/db.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: shop-db
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: shop, app.kubernetes.io/instance: shop, app.kubernetes.io/component: db}
  template:
    spec:
      containers:
        - name: postgres
          image: docker.io/library/postgres:16.6
`;

describe('acceptance 1: pod lists in kubectl output shapes', () => {
  it('a Deployment whose 5 pods run 2 digests behind app:latest: error, naming the 2 pods on the newer digest', () => {
    const result = run(pods('deployment-drift.json'));
    expect(result.workloads.map((w) => `${w.resource.kind}/${w.resource.name}`)).toEqual(['Deployment/shop-web']);
    const container = result.workloads[0]!.containers[0]!;
    expect(container.images).toEqual([{ image: 'registry.example.com/shop/app:latest', class: 'latest' }]);
    expect(container.digests.map((d) => [d.digest, d.pods.length])).toEqual([[A, 3], [B, 2]]);
    const mixed = result.findings.find((f) => f.check === 'mixed-digests')!;
    expect(mixed).toMatchObject({ severity: 'error', digests: [A, B], image: 'registry.example.com/shop/app:latest' });
    expect(mixed.pods).toEqual(['shop-web-7d9f8c6b5d-t2w6r', 'shop-web-7d9f8c6b5d-h7j3s']);
    // Each pod's start time, and the restart that pulled the new image.
    expect(container.digests[1]!.pods.map((p) => [p.pod, p.startTime, p.containerStartedAt, p.restartCount])).toEqual([
      ['shop-web-7d9f8c6b5d-t2w6r', '2025-03-01T09:00:13Z', '2025-03-09T22:41:05Z', 1],
      ['shop-web-7d9f8c6b5d-h7j3s', '2025-03-10T06:12:40Z', '2025-03-10T06:12:40Z', 0],
    ]);
    expect(mixed.message).toContain('5 pods run 2 different images');
    expect(checks(result)).toEqual(['error mixed-digests Deployment/shop-web', 'warning mutable-reference-running Deployment/shop-web']);
    expect(result.findings[1]!.message).toContain('2 distinct digests');
    expect(auditFails(result.findings, 'error')).toBe(true);
  });

  it('a StatefulSet (with an init container), a DaemonSet on all three imageID forms, a CronJob pod, a bare pod: clean', () => {
    const result = run(pods('workloads-clean.json'));
    expect(result.findings).toEqual([]);
    expect(result.summary).toEqual({ error: 0, warning: 0, info: 0, pods: 7, workloads: 4 });
    const byName = Object.fromEntries(result.workloads.map((w) => [`${w.resource.kind}/${w.resource.name}`, w]));
    expect(Object.keys(byName)).toEqual(['CronJob/shop-report', 'DaemonSet/shop-agent', 'Pod/debug-shell', 'StatefulSet/shop-db']);
    const agent = byName['DaemonSet/shop-agent']!.containers[0]!;
    expect(agent.digests).toHaveLength(1);
    expect(agent.digests[0]).toMatchObject({ digest: C, repositories: ['docker.io/fluent/fluent-bit'] });
    expect(agent.digests[0]!.pods.map((p) => p.imageID)).toEqual([`docker.io/fluent/fluent-bit@${C}`, `docker-pullable://fluent/fluent-bit@${C}`, C]);
    const db = byName['StatefulSet/shop-db']!;
    expect(db.containers.map((c) => `${c.type}:${c.name}:${c.digests.length}`)).toEqual(['initContainer:init-perms:1', 'container:postgres:1']);
    expect(auditFails(result.findings, 'warning')).toBe(false);
  });

  it('an init container on two digests is drift of its own, named as an initContainer', () => {
    const list = pods('workloads-clean.json');
    const db1 = list.find((p) => p.name === 'shop-db-1')!;
    db1.containers[0] = { ...db1.containers[0]!, image: 'busybox:latest', imageID: `docker.io/library/busybox@${B}` };
    list.find((p) => p.name === 'shop-db-0')!.containers[0]!.image = 'busybox:latest';
    const mixed = run(list).findings.filter((f) => f.check === 'mixed-digests');
    expect(mixed.map((f) => [f.resource.name, f.container])).toEqual([['shop-db', { name: 'init-perms', type: 'initContainer' }]]);
    expect(mixed[0]!.pods).toEqual(['shop-db-1']);
  });

  it('a rollout in progress (two references) is not drift; finished pods of a Deployment run nothing', () => {
    const list = pods('deployment-drift.json');
    for (const pod of list.slice(3)) pod.containers[0]!.image = 'registry.example.com/shop/app:2025.03.1';
    expect(run(list).findings.filter((f) => f.check === 'mixed-digests')).toEqual([]);
    const evicted = pods('deployment-drift.json').map((pod, i) => (i >= 3 ? { ...pod, phase: 'Failed' } : pod));
    expect(checks(run(evicted))).toEqual(['warning mutable-reference-running Deployment/shop-web']);
  });

  it('containers without an imageID yet: info, and --fail-on info fails', () => {
    const list = pods('deployment-drift.json').slice(0, 2);
    list[1]!.containers[0]!.imageID = null;
    const result = run(list);
    expect(checks(result)).toContain('info no-image-id Deployment/shop-web');
    expect(result.findings.find((f) => f.check === 'no-image-id')!.pods).toEqual(['shop-web-7d9f8c6b5d-m4q7z']);
    expect(auditFails(result.findings, 'info')).toBe(true);
    expect(auditFails(result.findings, 'never')).toBe(false);
  });

  it('no pods: clean and complete', () => {
    expect(run([])).toEqual({ workloads: [], findings: [], summary: { error: 0, warning: 0, info: 0, pods: 0, workloads: 0 } });
  });
});

describe('acceptance 2: the release manifest pins a digest', () => {
  const view = releaseView('shop', parseManifestStream(MANIFEST), 'shop');

  it('reads pinned digests and selectors from the manifest', () => {
    expect(view.images.map((i) => [i.resource.kind, i.container.name, i.digest])).toEqual([
      ['Deployment', 'app', A],
      ['StatefulSet', 'postgres', null],
    ]);
    expect(view.selectors).toHaveLength(2);
  });

  it('a pod running another digest is reported; pods of other releases are left out', () => {
    const result = audit({ pods: pods('release-drift.json'), release: view, selectReleasePods: true });
    expect(result.summary.pods).toBe(3);
    const mismatch = result.findings.find((f) => f.check === 'release-digest-mismatch')!;
    expect(mismatch).toMatchObject({
      severity: 'error',
      resource: { kind: 'Deployment', name: 'shop-web' },
      image: `registry.example.com/shop/app@${A}`,
      digests: [A, B],
      pods: ['shop-web-64f8d9c7b5-v3m9q'],
    });
    expect(result.workloads[0]!.containers[0]!.release).toEqual({ image: `registry.example.com/shop/app@${A}`, digest: A });
    expect(checks(result)).toEqual([
      'error release-digest-mismatch Deployment/shop-web',
      'warning mutable-reference-running Deployment/shop-web',
      'info release-workload-without-pods StatefulSet/shop-db',
    ]);
  });

  it('pods on the pinned digest only: no mismatch', () => {
    const onPin = pods('release-drift.json').filter((pod) => !pod.name.endsWith('v3m9q'));
    const result = audit({ pods: onPin, release: view, selectReleasePods: true });
    expect(result.findings.map((f) => f.check)).toEqual(['release-workload-without-pods']);
  });

  it('an explicit selector keeps every listed pod', () => {
    expect(audit({ pods: pods('release-drift.json'), release: view, selectReleasePods: false }).summary.pods).toBe(4);
  });
});

describe('release pod selection', () => {
  const view = releaseView('shop', parseManifestStream(MANIFEST), 'shop');
  const pod = (labels: Record<string, string>, namespace = 'shop'): Pod =>
    ({ name: 'p', namespace, labels, owner: null, node: null, startTime: null, phase: 'Running', containers: [] });

  it.each([
    ['the instance label', { 'app.kubernetes.io/instance': 'shop' }, 'shop', true],
    ['a workload selector', { 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/instance': 'shop', 'app.kubernetes.io/component': 'db' }, 'shop', true],
    ['another release', { 'app.kubernetes.io/instance': 'other' }, 'shop', false],
    ['the selector in another namespace', { 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/component': 'web' }, 'elsewhere', false],
  ])('%s', (_label, labels, namespace, expected) => {
    expect(belongsToRelease(pod(labels, namespace), view)).toBe(expected);
  });

  it.each([
    [{ app: 'a', tier: 'web' }, [{ key: 'app', operator: 'In', values: ['a', 'b'] }], true],
    [{ app: 'c' }, [{ key: 'app', operator: 'In', values: ['a', 'b'] }], false],
    [{ app: 'a' }, [{ key: 'tier', operator: 'NotIn', values: ['db'] }], true],
    [{ app: 'a' }, [{ key: 'app', operator: 'Exists', values: [] }], true],
    [{ app: 'a' }, [{ key: 'app', operator: 'DoesNotExist', values: [] }], false],
    [{ app: 'a' }, [], false],
  ])('matchesSelector(%j, %j) = %s', (labels, requirements, expected) => {
    expect(matchesSelector(labels, requirements)).toBe(expected);
  });
});
