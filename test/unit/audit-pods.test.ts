/** Issue 8: reading `kubectl get pods -o json|yaml` output; malformed input says what and where. */
import { readFileSync } from 'node:fs';
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
    ['an item without a name', '{"kind": "List", "items": [{"kind": "Pod", "metadata": {}}]}', /items\[0\] has no metadata.name/],
    ['an item that is not an object', '{"kind": "List", "items": ["pod"]}', /items\[0\] is not an object/],
  ])('%s: PodListError', (_label, text, message) => {
    expect(() => parsePodList(text)).toThrow(PodListError);
    expect(() => parsePodList(text)).toThrow(message);
  });
});
