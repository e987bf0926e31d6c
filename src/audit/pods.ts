/**
 * Reads `kubectl get pods -o json` output (kind `List`), the API's `PodList`, a single `Pod`, or the same as YAML
 * (`-o yaml`, also several documents). Only the fields the audit needs are kept, and each of those is checked for
 * the type Kubernetes gives it (pod-shape.ts): anything else throws PodListError naming the path of the first bad
 * field. Fields Kubernetes may omit (a pending pod's containerStatuses and nodeName, an imageID before the pull)
 * may be missing.
 */
import { parseManifestStream, ManifestParseError } from '../manifest/parse.js';
import {
  child,
  optionalBoolean,
  optionalCount,
  optionalObject,
  optionalObjects,
  optionalString,
  optionalStringMap,
  PodListError,
  requiredName,
  requiredObject,
  type Field,
} from './pod-shape.js';
import type { OwnerRef, Pod, PodContainer } from './types.js';

export { PodListError } from './pod-shape.js';

const CONTAINER_KINDS = [
  { spec: 'initContainers', status: 'initContainerStatuses', type: 'initContainer' },
  { spec: 'containers', status: 'containerStatuses', type: 'container' },
  { spec: 'ephemeralContainers', status: 'ephemeralContainerStatuses', type: 'ephemeralContainer' },
] as const;

/** `line L, column C` for JSON.parse's `at position N`. */
function jsonPosition(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (!at) return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}

function parseDocuments(text: string): unknown[] {
  if (text.trim() === '') throw new PodListError('it is empty');
  if (/^\s*[{[]/.test(text)) {
    try {
      return [JSON.parse(text) as unknown];
    } catch (error) {
      throw new PodListError(`invalid JSON: ${jsonPosition(text, (error as Error).message)}`);
    }
  }
  try {
    return parseManifestStream(text).map((doc) => doc.object).filter((object) => object !== null);
  } catch (error) {
    if (error instanceof ManifestParseError) throw new PodListError(error.message);
    throw error;
  }
}

/** The controller owner, else the first owner; every reference is checked, since the API requires kind and name. */
function ownerOf(metadata: Field): OwnerRef | null {
  const owners = optionalObjects(child(metadata, 'ownerReferences')).map((ref) => ({
    ref: { apiVersion: optionalString(child(ref, 'apiVersion')) ?? '', kind: requiredName(child(ref, 'kind')), name: requiredName(child(ref, 'name')) },
    controller: optionalBoolean(child(ref, 'controller')),
  }));
  return (owners.find((owner) => owner.controller) ?? owners[0])?.ref ?? null;
}

/** When the container last started: `state.running.startedAt`, else `state.terminated.startedAt` (null in Go's JSON when it never ran). */
function startedAt(status: Field): string | null {
  const state = child(status, 'state');
  optionalObject(state);
  const running = child(state, 'running');
  const terminated = child(state, 'terminated');
  optionalObject(running);
  optionalObject(terminated);
  return optionalString(child(running, 'startedAt')) ?? optionalString(child(terminated, 'startedAt'));
}

/** What the runtime reports for one container: checked whether or not the spec names the container. */
function readStatus(entry: Field): { name: string; image: string | null; imageID: string | null; startedAt: string | null; restartCount: number } {
  return {
    name: requiredName(child(entry, 'name')),
    image: optionalString(child(entry, 'image')),
    imageID: optionalString(child(entry, 'imageID')),
    startedAt: startedAt(entry),
    restartCount: optionalCount(child(entry, 'restartCount')),
  };
}

function containersOf(spec: Field, status: Field): PodContainer[] {
  const result: PodContainer[] = [];
  for (const kind of CONTAINER_KINDS) {
    const statuses = optionalObjects(child(status, kind.status)).map(readStatus);
    const byName = new Map(statuses.map((entry) => [entry.name, entry]));
    const names = new Set<string>();
    for (const container of optionalObjects(child(spec, kind.spec))) {
      const name = requiredName(child(container, 'name'));
      const image = optionalString(child(container, 'image'));
      names.add(name);
      const state = byName.get(name);
      result.push({
        name,
        type: kind.type,
        image: image ?? state?.image ?? '',
        imageID: state?.imageID ?? null,
        startedAt: state?.startedAt ?? null,
        restartCount: state?.restartCount ?? 0,
      });
    }
    // A status without a spec entry (a trimmed export): keep what the runtime reported.
    for (const state of statuses) {
      if (names.has(state.name)) continue;
      result.push({ name: state.name, type: kind.type, image: state.image ?? '', imageID: state.imageID, startedAt: state.startedAt, restartCount: state.restartCount });
    }
  }
  return result;
}

function toPod(item: Field): Pod {
  const metadata = child(item, 'metadata');
  requiredObject(metadata);
  const spec = child(item, 'spec');
  const status = child(item, 'status');
  optionalObject(spec);
  optionalObject(status);
  return {
    name: requiredName(child(metadata, 'name')),
    namespace: optionalString(child(metadata, 'namespace')),
    labels: optionalStringMap(child(metadata, 'labels')),
    owner: ownerOf(metadata),
    node: optionalString(child(spec, 'nodeName')),
    startTime: optionalString(child(status, 'startTime')),
    phase: optionalString(child(status, 'phase')),
    containers: containersOf(spec, status),
  };
}

const SHAPE_HINT = 'expected the output of `kubectl get pods -o json` (a List or PodList with items, or one Pod)';

/** Every Pod in the text; items of other kinds (`kubectl get pods,svc -o json`) are skipped. */
export function parsePodList(text: string): Pod[] {
  const pods: Pod[] = [];
  const otherKinds = new Set<string>();
  let items = 0;
  const take = (item: Field): void => {
    requiredObject(item);
    items += 1;
    const kind = optionalString(child(item, 'kind'));
    if (kind !== null && kind !== 'Pod') otherKinds.add(kind);
    else pods.push(toPod(item));
  };
  parseDocuments(text).forEach((doc, index) => {
    const prefix = index === 0 ? '' : `document ${index + 1}: `;
    try {
      const root: Field = { value: doc, path: '' };
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new PodListError(`not a pod list: ${SHAPE_HINT}`);
      const list = child(root, 'items');
      const kind = optionalString(child(root, 'kind'));
      if (list.value !== undefined && kind !== 'Pod') optionalObjects(list).forEach(take);
      else if (kind === 'Pod') take(root);
      else throw new PodListError(`not a pod list (kind ${kind ?? 'missing'}): ${SHAPE_HINT}`);
    } catch (error) {
      if (error instanceof PodListError && prefix !== '') throw new PodListError(`${prefix}${error.message}`);
      throw error;
    }
  });
  if (items > 0 && pods.length === 0) {
    throw new PodListError(`it holds no Pods (found ${[...otherKinds].join(', ')}): ${SHAPE_HINT}`);
  }
  return pods;
}
