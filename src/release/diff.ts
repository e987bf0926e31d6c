/** Image-by-image comparison of two revisions (pure). */
import type { ClassifiedUse } from '../rules/types.js';
import { imageSide, sameImage } from './describe.js';
import { pairContainers } from './pair.js';
import { CHANGES, type Change, type DiffEntry, type RevisionImages } from './types.js';

export function changeOf(from: ClassifiedUse | null, to: ClassifiedUse | null): Change {
  if (!from) return 'added';
  if (!to) return 'removed';
  return sameImage(from, to) ? 'unchanged' : 'changed';
}

/** Every container of either revision with its change from `from` to `to`. */
export function diffRevisions(from: RevisionImages, to: RevisionImages): DiffEntry[] {
  return pairContainers(from.uses, to.uses).map((pair) => ({
    change: changeOf(pair.from, pair.to),
    resource: pair.resource,
    container: pair.container,
    from: pair.from ? imageSide(pair.from) : null,
    to: pair.to ? imageSide(pair.to) : null,
  }));
}

export function countChanges(entries: readonly DiffEntry[]): Record<Change, number> {
  const counts = Object.fromEntries(CHANGES.map((change) => [change, 0])) as Record<Change, number>;
  for (const entry of entries) counts[entry.change] += 1;
  return counts;
}

/** True when an image was added, removed or changed (what `diff --exit-code` exits 1 for). */
export function hasChanges(entries: readonly DiffEntry[]): boolean {
  return entries.some((entry) => entry.change !== 'unchanged');
}
