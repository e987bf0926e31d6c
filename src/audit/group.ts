/** Pods -> workloads -> containers -> digests. Pure. */
import { classifyImage, type ClassifyOptions } from '../image/classify.js';
import { normalizeImageID } from './image-id.js';
import { workloadKey, workloadOf } from './owners.js';
import type { ReleaseView } from './release.js';
import { sameWorkload } from './release.js';
import type { ContainerAudit, DigestGroup, Pod, PodContainer, PodImage, WorkloadAudit, WorkloadRef } from './types.js';
import { compareText } from '../compare.js';

/** One container of one pod, with the digest it runs (null: no imageID yet). */
export interface ContainerRun {
  pod: Pod;
  container: PodContainer;
  digest: string | null;
  repository: string | null;
}

export interface WorkloadGroup {
  resource: WorkloadRef;
  pods: Pod[];
  containers: { audit: ContainerAudit; runs: ContainerRun[] }[];
}

// Pods of these kinds finish by design; a finished pod of any other workload (evicted, completed) runs nothing.
const RUN_TO_COMPLETION = new Set(['Job', 'CronJob', 'Pod']);
const TYPE_ORDER = { initContainer: 0, container: 1, ephemeralContainer: 2 } as const;

/** When this container started on the image it runs: its own start (after a restart), else the pod's. */
export function sinceOf(run: Pick<ContainerRun, 'pod' | 'container'>): string | null {
  return run.container.startedAt ?? run.pod.startTime;
}

/** Ascending; unknown times first (they are at least as old as anything we know). */
export function compareTimes(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const delta = Date.parse(a) - Date.parse(b);
  return Number.isNaN(delta) ? compareText(a, b) : delta;
}

export function isRunning(pod: Pod, workload: WorkloadRef): boolean {
  return RUN_TO_COMPLETION.has(workload.kind) || (pod.phase !== 'Succeeded' && pod.phase !== 'Failed');
}

function podImage(run: ContainerRun): PodImage {
  return {
    pod: run.pod.name,
    node: run.pod.node,
    startTime: run.pod.startTime,
    containerStartedAt: run.container.startedAt,
    restartCount: run.container.restartCount,
    image: run.container.image,
    imageID: run.container.imageID ?? '',
  };
}

/** Digest groups of some runs, each oldest pod first, the groups ordered by when their digest was first seen. */
export function digestGroups(runs: readonly ContainerRun[]): DigestGroup[] {
  const groups = new Map<string, { repositories: Set<string>; runs: ContainerRun[] }>();
  for (const run of runs) {
    if (run.digest === null) continue;
    const group = groups.get(run.digest) ?? { repositories: new Set<string>(), runs: [] };
    if (run.repository) group.repositories.add(run.repository);
    group.runs.push(run);
    groups.set(run.digest, group);
  }
  return [...groups.entries()]
    .map(([digest, group]): DigestGroup => {
      const sorted = [...group.runs].sort((a, b) => compareTimes(sinceOf(a), sinceOf(b)) || compareText(a.pod.name, b.pod.name));
      return { digest, repositories: [...group.repositories].sort(), firstSeen: sinceOf(sorted[0]!), pods: sorted.map(podImage) };
    })
    .sort((a, b) => compareTimes(a.firstSeen, b.firstSeen) || compareText(a.digest, b.digest));
}

function releaseImageFor(release: ReleaseView | null, resource: WorkloadRef, name: string, type: string): ContainerAudit['release'] {
  const found = release?.images.find(
    (image) => sameWorkload(image.resource, resource) && image.container.name === name && image.container.type === type,
  );
  return found ? { image: found.image, digest: found.digest } : null;
}

function containerAudit(runs: ContainerRun[], release: ReleaseView | null, resource: WorkloadRef, options: ClassifyOptions): ContainerAudit {
  const first = runs[0]!.container;
  const images = [...new Set(runs.map((run) => run.container.image))].map((image) => ({
    image,
    class: classifyImage(image, options).class,
  }));
  return {
    name: first.name,
    type: first.type,
    images,
    release: releaseImageFor(release, resource, first.name, first.type),
    digests: digestGroups(runs),
    podsWithoutImageID: runs.filter((run) => run.digest === null).map((run) => run.pod.name).sort(),
  };
}

/** Groups pods by owning workload, then by container (type and name); sorted by namespace, kind, name. */
export function groupPods(pods: readonly Pod[], release: ReleaseView | null, options: ClassifyOptions = {}): WorkloadGroup[] {
  const workloads = new Map<string, { resource: WorkloadRef; pods: Pod[]; runs: Map<string, ContainerRun[]> }>();
  for (const pod of pods) {
    const resource = workloadOf(pod);
    if (!isRunning(pod, resource)) continue;
    const key = workloadKey(resource);
    const entry = workloads.get(key) ?? { resource, pods: [], runs: new Map<string, ContainerRun[]>() };
    entry.pods.push(pod);
    for (const container of pod.containers) {
      const id = normalizeImageID(container.imageID);
      const containerKey = `${TYPE_ORDER[container.type]}/${container.name}`;
      const runs = entry.runs.get(containerKey) ?? [];
      runs.push({ pod, container, digest: id?.digest ?? null, repository: id?.repository ?? null });
      entry.runs.set(containerKey, runs);
    }
    workloads.set(key, entry);
  }
  return [...workloads.values()]
    .sort((a, b) => compareText(workloadKey(a.resource), workloadKey(b.resource)))
    .map((entry) => ({
      resource: entry.resource,
      pods: entry.pods,
      containers: [...entry.runs.entries()]
        .sort(([a], [b]) => compareText(a, b))
        .map(([, runs]) => ({ audit: containerAudit(runs, release, entry.resource, options), runs })),
    }));
}

export function toWorkloadAudit(group: WorkloadGroup): WorkloadAudit {
  return { resource: group.resource, pods: group.pods.length, containers: group.containers.map((container) => container.audit) };
}
