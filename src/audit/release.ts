/**
 * What the audit needs from a release manifest (`helm get manifest`): the image each workload container should run
 * (and its pinned digest), and which pods belong to the release.
 */
import { classifyImage } from '../image/classify.js';
import { extractImages } from '../manifest/extract.js';
import { getPath, isObject } from '../manifest/pod-specs.js';
import type { ManifestDocument } from '../manifest/types.js';
import { workloadOf } from './owners.js';
import type { Pod, WorkloadRef } from './types.js';

export interface ReleaseImage {
  resource: WorkloadRef;
  container: { name: string; type: string };
  image: string;
  /** The digest the manifest pins (`@sha256:...`), or null for a tag. */
  digest: string | null;
}

type Requirement = { key: string; operator: string; values: string[] };

export interface ReleaseView {
  name: string;
  images: ReleaseImage[];
  /** Resources with a pod spec. */
  workloads: WorkloadRef[];
  /** Label selectors of the release's workloads (`spec.selector`), with the namespace they apply in. */
  selectors: { namespace: string | null; requirements: Requirement[] }[];
}

export const INSTANCE_LABEL = 'app.kubernetes.io/instance';

function objectsOf(docs: readonly ManifestDocument[]): Record<string, unknown>[] {
  return docs.flatMap((doc) => {
    const object = doc.object;
    if (!isObject(object)) return [];
    if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
      return object.items.filter(isObject);
    }
    return [object];
  });
}

function requirementsOf(selector: unknown): Requirement[] {
  if (!isObject(selector)) return [];
  const requirements: Requirement[] = [];
  if (isObject(selector.matchLabels)) {
    for (const [key, value] of Object.entries(selector.matchLabels)) {
      requirements.push({ key, operator: 'In', values: [String(value)] });
    }
  }
  for (const expression of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    if (!isObject(expression) || typeof expression.key !== 'string' || typeof expression.operator !== 'string') continue;
    const values = Array.isArray(expression.values) ? expression.values.map(String) : [];
    requirements.push({ key: expression.key, operator: expression.operator, values });
  }
  return requirements;
}

/** Kubernetes label selector semantics for matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). */
export function matchesSelector(labels: Readonly<Record<string, string>>, requirements: readonly Requirement[]): boolean {
  if (requirements.length === 0) return false; // an empty selector would select everything: never guess that
  return requirements.every(({ key, operator, values }) => {
    const value = labels[key];
    switch (operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });
}

export function releaseView(name: string, docs: readonly ManifestDocument[], defaultNamespace: string | null): ReleaseView {
  const uses = extractImages(docs, { defaultNamespace, isImageReference: () => false });
  const images: ReleaseImage[] = [];
  const workloads = new Map<string, WorkloadRef>();
  for (const use of uses) {
    if (use.container.type === 'other' || use.hook !== null || !use.isString) continue;
    const resource: WorkloadRef = { ...use.resource };
    workloads.set(`${resource.namespace ?? ''}/${resource.kind}/${resource.name}`, resource);
    const reference = classifyImage(use.image).reference;
    images.push({ resource, container: use.container, image: use.image, digest: reference?.digest ?? null });
  }
  const selectors: ReleaseView['selectors'] = [];
  for (const object of objectsOf(docs)) {
    const requirements = requirementsOf(getPath(object, ['spec', 'selector']));
    if (requirements.length === 0 || !isObject(getPath(object, ['spec', 'template']))) continue;
    const namespace = getPath(object, ['metadata', 'namespace']);
    selectors.push({ namespace: typeof namespace === 'string' ? namespace : defaultNamespace, requirements });
  }
  return { name, images, workloads: [...workloads.values()], selectors };
}

/** Namespaces match when either side does not know its namespace. */
export function sameNamespace(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b;
}

export function sameWorkload(a: WorkloadRef, b: WorkloadRef): boolean {
  return a.kind === b.kind && a.name === b.name && sameNamespace(a.namespace, b.namespace);
}

/**
 * A pod belongs to the release when its workload is one of the release's, a release workload's selector matches
 * its labels, or it carries `app.kubernetes.io/instance: RELEASE`.
 */
export function belongsToRelease(pod: Pod, view: ReleaseView): boolean {
  if (pod.labels[INSTANCE_LABEL] === view.name) return true;
  const workload = workloadOf(pod);
  if (view.workloads.some((candidate) => sameWorkload(candidate, workload))) return true;
  return view.selectors.some(
    (selector) => sameNamespace(selector.namespace, pod.namespace) && matchesSelector(pod.labels, selector.requirements),
  );
}
