/** Issue 8: pods -> owning workload (ReplicaSet -> Deployment via pod-template-hash, Job -> CronJob). */
import { describe, expect, it } from 'vitest';
import { workloadOf } from '../../src/audit/owners.js';
import type { OwnerRef, Pod } from '../../src/audit/types.js';

function pod(owner: OwnerRef | null, labels: Record<string, string> = {}, name = 'p'): Pod {
  return { name, namespace: 'shop', labels, owner, node: null, startTime: null, phase: 'Running', containers: [] };
}
const rs = (name: string): OwnerRef => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name });

describe('workloadOf', () => {
  it.each([
    ['ReplicaSet with the pod-template-hash suffix -> Deployment', pod(rs('web-7d9f8c6b5d'), { 'pod-template-hash': '7d9f8c6b5d' }), 'Deployment/web'],
    ['a Deployment name with dashes', pod(rs('shop-web-api-5b8c9d7f6a'), { 'pod-template-hash': '5b8c9d7f6a' }), 'Deployment/shop-web-api'],
    ['ReplicaSet without the hash label stays a ReplicaSet', pod(rs('web-7d9f8c6b5d')), 'ReplicaSet/web-7d9f8c6b5d'],
    ['ReplicaSet whose name does not end in the hash', pod(rs('handmade'), { 'pod-template-hash': '7d9f8c6b5d' }), 'ReplicaSet/handmade'],
    ['StatefulSet', pod({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }), 'StatefulSet/db'],
    ['DaemonSet', pod({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent' }), 'DaemonSet/agent'],
    ['Job of a CronJob', pod({ apiVersion: 'batch/v1', kind: 'Job', name: 'report-29012345' }), 'CronJob/report'],
    ['a plain Job', pod({ apiVersion: 'batch/v1', kind: 'Job', name: 'migrate-1' }), 'Job/migrate-1'],
    ['a bare pod', pod(null, {}, 'debug'), 'Pod/debug'],
    ['a static pod (owned by its Node)', pod({ apiVersion: 'v1', kind: 'Node', name: 'kind-control-plane' }), 'Node/kind-control-plane'],
  ])('%s', (_label, input, expected) => {
    const workload = workloadOf(input);
    expect(`${workload.kind}/${workload.name}`).toBe(expected);
    expect(workload.namespace).toBe('shop');
  });

  it('gives the Deployment its API version', () => {
    expect(workloadOf(pod(rs('web-abc'), { 'pod-template-hash': 'abc' })).apiVersion).toBe('apps/v1');
  });
});
