/** Issue 8: reading `kubectl get pods -o json|yaml` output; malformed input says what and where. */
import { readFileSync } from 'node:fs';
/* eslint-disable @typescript-eslint/no-explicit-any -- the cases spoil one field of a plain JSON object each */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parsePodList, PodListError } from '../../src/audit/pods.js';
import { fixture } from '../helpers/audit.js';

const read = (name: string): string => readFileSync(fixture(name), 'utf8');

describe('parsePodList', () => {
  it('reads a kubectl List: name, namespace, owner, node, start time, containers with imageID', () => {
    const pods = parsePodList(read('deployment-drift.json'));
    expect(pods).toHaveLength(5);
    const restarted = pods.find((pod) => pod.name.endsWith('t2w6r'))!;
    expect(restarted).toMatchObject({
      namespace: 'shop',
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'shop-web-7d9f8c6b5d' },
      node: 'kind-worker2',
      startTime: '2025-03-01T09:00:13Z',
      phase: 'Running',
    });
    expect(restarted.labels['pod-template-hash']).toBe('7d9f8c6b5d');
    expect(restarted.containers).toEqual([
      {
        name: 'app',
        type: 'container',
        image: 'registry.example.com/shop/app:latest',
        imageID: 'registry.example.com/shop/app@sha256:80d6ae0197c2a3be4ec46d171996105891dedf626ea3040f2dd2bf00e63c436e',
        startedAt: '2025-03-09T22:41:05Z',
        restartCount: 1,
      },
    ]);
  });

  it('reads init containers (terminated) with their imageID', () => {
    const db = parsePodList(read('workloads-clean.json')).find((pod) => pod.name === 'shop-db-0')!;
    expect(db.containers.map((c) => [c.type, c.name, c.imageID?.replace(/@.*/, ''), c.startedAt])).toEqual([
      ['initContainer', 'init-perms', 'docker.io/library/busybox', '2025-02-20T08:00:02Z'],
      ['container', 'postgres', 'docker.io/library/postgres', '2025-02-20T08:00:09Z'],
    ]);
  });

  it('reads the API PodList (items without kind), a single Pod, and YAML with several documents', () => {
    const list = JSON.parse(read('deployment-drift.json')) as { items: Record<string, unknown>[] };
    const podList = { kind: 'PodList', apiVersion: 'v1', items: list.items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest) };
    expect(parsePodList(JSON.stringify(podList))).toHaveLength(5);
    expect(parsePodList(JSON.stringify(list.items[0]))).toHaveLength(1);
    const yaml = `${stringify(list)}---\n${stringify(list.items[0])}`;
    expect(parsePodList(yaml)).toHaveLength(6);
  });

  it('an empty List is no pods; other kinds next to pods are skipped', () => {
    expect(parsePodList('{"apiVersion":"v1","items":[],"kind":"List","metadata":{"resourceVersion":""}}')).toEqual([]);
    const mixed = { kind: 'List', items: [{ kind: 'Service', metadata: { name: 's' } }, { kind: 'Pod', metadata: { name: 'p' } }] };
    expect(parsePodList(JSON.stringify(mixed)).map((pod) => pod.name)).toEqual(['p']);
  });

  it('a container that has not started has no imageID', () => {
    const pending = {
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'app', image: 'app:1.0.0' }] },
      status: { phase: 'Pending', containerStatuses: [{ name: 'app', image: 'app:1.0.0', imageID: '', state: { waiting: { reason: 'ErrImagePull' } } }] },
    };
    expect(parsePodList(JSON.stringify(pending))[0]!.containers[0]).toMatchObject({ imageID: null, startedAt: null });
  });

  it.each([
    ['empty input', '', /empty/],
    ['broken JSON, with line and column', '{\n  "kind": "List",\n  "items": [\n    {"metadata": {"name": "a"}}\n    {"metadata": {"name": "b"}}\n  ]\n}', /invalid JSON: .* at line 5, column 5/],
    ['truncated JSON', '{"kind": "List", "items": [', /invalid JSON: Unexpected end of JSON input/],
    ['broken YAML', 'kind: List\nitems:\n  - metadata: {name: a\n', /invalid YAML at line \d/],
    ['a JSON array', '[]', /not a pod list/],
    ['a Deployment', '{"kind": "Deployment", "metadata": {"name": "web"}}', /not a pod list \(kind Deployment\)/],
    ['only Deployments', '{"kind": "List", "items": [{"kind": "Deployment", "metadata": {"name": "web"}}]}', /holds no Pods \(found Deployment\)/],
    ['an item without a name', '{"kind": "List", "items": [{"kind": "Pod", "metadata": {}}]}', /^items\[0\]\.metadata\.name: missing \(expected a non-empty string\)$/],
    ['an item that is not an object', '{"kind": "List", "items": ["pod"]}', /^items\[0\]: expected an object, got the string "pod"$/],
  ])('%s: PodListError', (_label, text, message) => {
    expect(() => parsePodList(text)).toThrow(PodListError);
    expect(() => parsePodList(text)).toThrow(message);
  });
});

/** One pod as the API returns it, then one field at a time replaced by something of the wrong type. */
const pod = (): Record<string, any> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-0',
    namespace: 'shop',
    labels: { app: 'web', 'app.kubernetes.io/instance': 'shop' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true, blockOwnerDeletion: true }],
  },
  spec: { nodeName: 'kind-worker', containers: [{ name: 'app', image: 'app:1.0.0' }], initContainers: [{ name: 'init', image: 'busybox:1.36' }] },
  status: {
    phase: 'Running',
    startTime: '2025-03-01T09:00:00Z',
    initContainerStatuses: [
      { name: 'init', image: 'docker.io/library/busybox:1.36', imageID: 'docker.io/library/busybox@sha256:aa', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, startedAt: '2025-03-01T09:00:01Z' } } },
    ],
    containerStatuses: [
      { name: 'app', image: 'docker.io/library/app:1.0.0', imageID: 'docker.io/library/app@sha256:bb', ready: true, restartCount: 2, state: { running: { startedAt: '2025-03-02T10:00:00Z' } } },
    ],
  },
});
const list = (...items: unknown[]): string => JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });

describe('parsePodList: field types', () => {
  it('reads a well-formed pod, and pods with the fields Kubernetes may omit or write as null', () => {
    expect(parsePodList(list(pod()))[0]).toMatchObject({ name: 'web-0', owner: { kind: 'StatefulSet', name: 'web' }, node: 'kind-worker' });
    const pending = { kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: 'app:1' }] }, status: { phase: 'Pending' } };
    expect(parsePodList(JSON.stringify(pending))[0]!.containers).toEqual([{ name: 'app', type: 'container', image: 'app:1', imageID: null, startedAt: null, restartCount: 0 }]);
    // Go's encoder writes null for an empty time, list or map; a container that never ran has startedAt null.
    const nulls = pod();
    nulls.metadata.labels = null;
    nulls.metadata.ownerReferences = null;
    nulls.status.initContainerStatuses = null;
    nulls.status.containerStatuses[0].imageID = '';
    nulls.status.containerStatuses[0].state = { terminated: { exitCode: 137, startedAt: null, finishedAt: null, reason: 'ContainerStatusUnknown' } };
    expect(parsePodList(list(nulls))[0]).toMatchObject({ labels: {}, owner: null, containers: [{ name: 'init', imageID: null }, { name: 'app', imageID: null, startedAt: null }] });
    expect(parsePodList(list({ metadata: { name: 'no-spec-no-status' } }))[0]!.containers).toEqual([]);
  });

  it.each([
    ['status a number', (p: any) => (p.status = 7), 'items[1].status: expected an object, got the number 7'],
    ['metadata a string', (p: any) => (p.metadata = 'web'), 'items[1].metadata: expected an object, got the string "web"'],
    ['name a number', (p: any) => (p.metadata.name = 42), 'items[1].metadata.name: expected a non-empty string, got the number 42'],
    ['name empty', (p: any) => (p.metadata.name = ''), 'items[1].metadata.name: expected a non-empty string, got an empty string'],
    ['namespace a list', (p: any) => (p.metadata.namespace = ['shop']), 'items[1].metadata.namespace: expected a string, got a list'],
    ['a label value a number', (p: any) => (p.metadata.labels['app.kubernetes.io/instance'] = 1), 'items[1].metadata.labels["app.kubernetes.io/instance"]: expected a string, got the number 1'],
    ['ownerReferences an object', (p: any) => (p.metadata.ownerReferences = { kind: 'ReplicaSet' }), 'items[1].metadata.ownerReferences: expected a list, got an object'],
    ['an owner without a name', (p: any) => delete p.metadata.ownerReferences[0].name, 'items[1].metadata.ownerReferences[0].name: missing (expected a non-empty string)'],
    ['controller a string', (p: any) => (p.metadata.ownerReferences[0].controller = 'true'), 'items[1].metadata.ownerReferences[0].controller: expected true or false, got the string "true"'],
    ['spec a list', (p: any) => (p.spec = []), 'items[1].spec: expected an object, got a list'],
    ['nodeName a boolean', (p: any) => (p.spec.nodeName = true), 'items[1].spec.nodeName: expected a string, got the boolean true'],
    ['containers an object', (p: any) => (p.spec.containers = { app: {} }), 'items[1].spec.containers: expected a list, got an object'],
    ['a container a string', (p: any) => (p.spec.containers = ['app']), 'items[1].spec.containers[0]: expected an object, got the string "app"'],
    ['a container image a number', (p: any) => (p.spec.containers[0].image = 1.27), 'items[1].spec.containers[0].image: expected a string, got the number 1.27'],
    ['startTime a number', (p: any) => (p.status.startTime = 1740819600), 'items[1].status.startTime: expected a string, got the number 1740819600'],
    ['containerStatuses an object', (p: any) => (p.status.containerStatuses = {}), 'items[1].status.containerStatuses: expected a list, got an object'],
    ['a status without a name', (p: any) => delete p.status.containerStatuses[0].name, 'items[1].status.containerStatuses[0].name: missing (expected a non-empty string)'],
    ['imageID a number', (p: any) => (p.status.containerStatuses[0].imageID = 7), 'items[1].status.containerStatuses[0].imageID: expected a string, got the number 7'],
    ['image an object', (p: any) => (p.status.initContainerStatuses[0].image = { repository: 'busybox' }), 'items[1].status.initContainerStatuses[0].image: expected a string, got an object'],
    ['restartCount a string', (p: any) => (p.status.containerStatuses[0].restartCount = '2'), 'items[1].status.containerStatuses[0].restartCount: expected a whole number, got the string "2"'],
    ['state a string', (p: any) => (p.status.containerStatuses[0].state = 'running'), 'items[1].status.containerStatuses[0].state: expected an object, got the string "running"'],
    ['startedAt a number', (p: any) => (p.status.containerStatuses[0].state.running.startedAt = 0), 'items[1].status.containerStatuses[0].state.running.startedAt: expected a string, got the number 0'],
    ['kind a number', (p: any) => (p.kind = 1), 'items[1].kind: expected a string, got the number 1'],
  ])('%s: names the path of the first bad field', (_label, spoil, message) => {
    const bad = pod();
    spoil(bad);
    expect(() => parsePodList(list(pod(), bad))).toThrow(new PodListError(message));
  });

  it('names the document of a YAML stream and the root of a single Pod', () => {
    const bad = pod();
    bad.status = 7;
    expect(() => parsePodList(`${stringify(pod())}---\n${stringify(bad)}`)).toThrow(new PodListError('document 2: status: expected an object, got the number 7'));
    expect(() => parsePodList('{"kind": "List", "items": {"a": 1}}')).toThrow(new PodListError('items: expected a list, got an object'));
  });
});
