/**
 * Which images get pinned: the `image:` of every container, initContainer and ephemeralContainer in a pod spec
 * (the fields the kubelet pulls and the post-renderer rewrites), without a digest yet. Other fields named `image`
 * (custom resources) are left alone. One lock key per distinct image: the normalised reference with its tag,
 * `docker.io/library/nginx:1.27.3`, so `nginx:1.27.3` and `docker.io/library/nginx:1.27.3` share one entry.
 */
import { parseNormalizedNamed, ReferenceParseError, type Reference } from '../image/reference.js';
import type { ImageUse } from '../manifest/types.js';

export type PinKind =
  | { kind: 'pin'; key: string; reference: Reference }
  | { kind: 'digest' }
  | { kind: 'invalid'; reason: string };

/** How one rendered `image:` value is pinned. */
export function pinKind(image: unknown): PinKind {
  if (typeof image !== 'string') return { kind: 'invalid', reason: 'not a string' };
  let reference: Reference;
  try {
    reference = parseNormalizedNamed(image);
  } catch (error) {
    if (error instanceof ReferenceParseError) return { kind: 'invalid', reason: error.message };
    throw error;
  }
  if (reference.digest !== null) return { kind: 'digest' };
  const tagged = { ...reference, tag: reference.tag ?? 'latest' };
  return { kind: 'pin', key: `${tagged.domain}/${tagged.path}:${tagged.tag}`, reference: tagged };
}

export interface PinPlan {
  /** Lock key -> reference to resolve, in first-seen order. */
  targets: Map<string, Reference>;
  /** Pod-spec images that already carry a digest. */
  alreadyPinned: ImageUse[];
  /** Pod-spec images that are no valid reference. */
  invalid: { use: ImageUse; reason: string }[];
  /** Image fields outside pod specs, which pinning does not touch. */
  skipped: ImageUse[];
}

export function planPins(uses: readonly ImageUse[]): PinPlan {
  const plan: PinPlan = { targets: new Map(), alreadyPinned: [], invalid: [], skipped: [] };
  for (const use of uses) {
    if (use.container.type === 'other') {
      plan.skipped.push(use);
      continue;
    }
    const kind = pinKind(use.isString ? use.image : null);
    if (kind.kind === 'pin') {
      if (!plan.targets.has(kind.key)) plan.targets.set(kind.key, kind.reference);
    } else if (kind.kind === 'digest') plan.alreadyPinned.push(use);
    else plan.invalid.push({ use, reason: kind.reason });
  }
  return plan;
}
