/** Pairs the containers of two revisions by resource identity and container name and type. */
import type { ResourceRef } from '../manifest/types.js';
import type { ClassifiedUse } from '../rules/types.js';
import type { ContainerPair } from './types.js';

/** `apps/v1` -> `apps`, `v1` -> `` (core): a Deployment moving from apps/v1beta2 to apps/v1 is the same object. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function resourceKey(resource: ResourceRef): string {
  return [apiGroup(resource.apiVersion), resource.kind, resource.namespace ?? '', resource.name].join('\u0000');
}

export function pairKey(use: ClassifiedUse): string {
  return [resourceKey(use.resource), use.container.type, use.container.name].join('\u0000');
}

/** Keys made unique by occurrence (a name repeated in one revision pairs first with first, second with second). */
function keyed(uses: readonly ClassifiedUse[]): Map<string, ClassifiedUse> {
  const map = new Map<string, ClassifiedUse>();
  const seen = new Map<string, number>();
  for (const use of uses) {
    const base = pairKey(use);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    map.set(n === 0 ? base : `${base}\u0000#${n}`, use);
  }
  return map;
}

/** Every container of either revision once: `from`'s order, then containers only `to` has, in `to`'s order. */
export function pairContainers(from: readonly ClassifiedUse[], to: readonly ClassifiedUse[]): ContainerPair[] {
  const a = keyed(from);
  const b = keyed(to);
  const pairs: ContainerPair[] = [];
  for (const [key, use] of a) {
    const other = b.get(key) ?? null;
    // The newer side names the resource (its apiVersion may have moved within the group).
    const named = other ?? use;
    pairs.push({ key, resource: named.resource, container: named.container, from: use, to: other });
  }
  for (const [key, use] of b) {
    if (!a.has(key)) pairs.push({ key, resource: use.resource, container: use.container, from: null, to: use });
  }
  return pairs;
}
