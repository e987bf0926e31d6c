/**
 * Reads `kubectl get pods -o json` output (kind `List`), the API's `PodList`, a single `Pod`, or the same as YAML
 * (`-o yaml`, also several documents). Only the fields the audit needs are kept. Throws PodListError, with a
 * message that says what is wrong and where, for anything that is not a pod list.
 */
import { parseManifestStream, ManifestParseError } from '../manifest/parse.js';
import { isObject } from '../manifest/pod-specs.js';
import type { OwnerRef, Pod, PodContainer } from './types.js';

export class PodListError extends Error {
  override name = 'PodListError';
}

type Obj = Record<string, unknown>;

const CONTAINER_KINDS = [
  { spec: 'initContainers', status: 'initContainerStatuses', type: 'initContainer' },
  { spec: 'containers', status: 'containerStatuses', type: 'container' },
  { spec: 'ephemeralContainers', status: 'ephemeralContainerStatuses', type: 'ephemeralContainer' },
] as const;

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function objects(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

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

function ownerOf(metadata: Obj): OwnerRef | null {
  const owners = objects(metadata.ownerReferences);
  const owner = owners.find((ref) => ref.controller === true) ?? owners[0];
  if (!owner || !str(owner.kind) || !str(owner.name)) return null;
  return { apiVersion: str(owner.apiVersion) ?? '', kind: str(owner.kind)!, name: str(owner.name)! };
}

function startedAt(status: Obj | undefined): string | null {
  const state = isObject(status?.state) ? status.state : {};
  const running = isObject(state.running) ? state.running : {};
  const terminated = isObject(state.terminated) ? state.terminated : {};
  return str(running.startedAt) ?? str(terminated.startedAt);
}

function containersOf(spec: Obj, status: Obj): PodContainer[] {
  const result: PodContainer[] = [];
  for (const kind of CONTAINER_KINDS) {
    const statuses = objects(status[kind.status]);
    const byName = new Map(statuses.map((entry) => [str(entry.name) ?? '', entry]));
    const specs = objects(spec[kind.spec]);
    const names = new Set<string>();
    for (const container of specs) {
      const name = str(container.name) ?? '';
      names.add(name);
      const state = byName.get(name);
      result.push({
        name,
        type: kind.type,
        image: str(container.image) ?? str(state?.image) ?? '',
        imageID: str(state?.imageID),
        startedAt: startedAt(state),
        restartCount: typeof state?.restartCount === 'number' ? state.restartCount : 0,
      });
    }
    // A status without a spec entry (a trimmed export): keep what the runtime reported.
    for (const state of statuses) {
      const name = str(state.name) ?? '';
      if (names.has(name)) continue;
      const restartCount = typeof state.restartCount === 'number' ? state.restartCount : 0;
      const image = str(state.image) ?? '';
      result.push({ name, type: kind.type, image, imageID: str(state.imageID), startedAt: startedAt(state), restartCount });
    }
  }
  return result;
}

function toPod(item: Obj, where: string): Pod {
  const metadata = isObject(item.metadata) ? item.metadata : null;
  const name = metadata ? str(metadata.name) : null;
  if (!metadata || !name) throw new PodListError(`${where} has no metadata.name`);
  const spec = isObject(item.spec) ? item.spec : {};
  const status = isObject(item.status) ? item.status : {};
  const labels: Record<string, string> = {};
  if (isObject(metadata.labels)) {
    for (const [key, value] of Object.entries(metadata.labels)) if (typeof value === 'string') labels[key] = value;
  }
  return {
    name,
    namespace: str(metadata.namespace),
    labels,
    owner: ownerOf(metadata),
    node: str(spec.nodeName),
    startTime: str(status.startTime),
    phase: str(status.phase),
    containers: containersOf(spec, status),
  };
}

const SHAPE_HINT = 'expected the output of `kubectl get pods -o json` (a List or PodList with items, or one Pod)';

/** Every Pod in the text; items of other kinds (`kubectl get pods,svc -o json`) are skipped. */
export function parsePodList(text: string): Pod[] {
  const pods: Pod[] = [];
  const otherKinds = new Set<string>();
  let items = 0;
  const take = (item: unknown, where: string): void => {
    if (!isObject(item)) throw new PodListError(`${where} is not an object`);
    items += 1;
    const kind = str(item.kind);
    if (kind !== null && kind !== 'Pod') otherKinds.add(kind);
    else pods.push(toPod(item, where));
  };
  parseDocuments(text).forEach((doc, index) => {
    const prefix = index === 0 ? '' : `document ${index + 1}: `;
    if (!isObject(doc)) throw new PodListError(`${prefix}not a pod list: ${SHAPE_HINT}`);
    if (Array.isArray(doc.items)) doc.items.forEach((item: unknown, i) => take(item, `${prefix}items[${i}]`));
    else if (str(doc.kind) === 'Pod') take(doc, `${prefix}the Pod`);
    else throw new PodListError(`${prefix}not a pod list (kind ${str(doc.kind) ?? 'missing'}): ${SHAPE_HINT}`);
  });
  if (items > 0 && pods.length === 0) {
    throw new PodListError(`it holds no Pods (found ${[...otherKinds].join(', ')}): ${SHAPE_HINT}`);
  }
  return pods;
}
