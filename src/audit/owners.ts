/**
 * The workload a pod belongs to, from its controller owner reference alone (no extra API calls).
 * Shapes known as of Kubernetes 1.35:
 * - ReplicaSet -> Deployment: the Deployment controller names a ReplicaSet `<deployment>-<pod-template-hash>` and
 *   labels its pods `pod-template-hash: <hash>`. A ReplicaSet whose name does not end in the pod's hash is its own
 *   workload (created by hand, or by a controller that does not follow the convention).
 * - Job -> CronJob: the CronJob controller names a Job `<cronjob>-<scheduled time in minutes since the epoch>`
 *   (8 digits since 1989). Pods carry no CronJob label, so the name is all there is.
 * - StatefulSet, DaemonSet, and any other owner kind: the owner itself. No owner: the pod itself.
 */
import type { Pod, WorkloadRef } from './types.js';

const CRONJOB_JOB_NAME = /^(.+)-(\d{8,})$/;

export function workloadOf(pod: Pod): WorkloadRef {
  const namespace = pod.namespace;
  const owner = pod.owner;
  if (!owner) return { apiVersion: 'v1', kind: 'Pod', namespace, name: pod.name };
  if (owner.kind === 'ReplicaSet') {
    const hash = pod.labels['pod-template-hash'];
    if (hash && owner.name.endsWith(`-${hash}`) && owner.name.length > hash.length + 1) {
      return { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: owner.name.slice(0, -hash.length - 1) };
    }
  }
  if (owner.kind === 'Job') {
    const match = CRONJOB_JOB_NAME.exec(owner.name);
    if (match) return { apiVersion: 'batch/v1', kind: 'CronJob', namespace, name: match[1]! };
  }
  return { apiVersion: owner.apiVersion, kind: owner.kind, namespace, name: owner.name };
}

export function workloadKey(ref: WorkloadRef): string {
  return `${ref.namespace ?? ''}/${ref.kind}/${ref.name}`;
}
