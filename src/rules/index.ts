import { noFloatingTag } from './no-floating-tag.js';
import { noLatestAppversion } from './no-latest-appversion.js';
import { noLatestTag } from './no-latest-tag.js';
import { noMutableTag } from './no-mutable-tag.js';
import { noUntaggedImage } from './no-untagged-image.js';
import { requireDigest } from './require-digest.js';
import type { Rule } from './types.js';
import { validImageReference } from './valid-image-reference.js';

/** Every rule, in the order they are listed and reported. Ids are never reused. */
export const RULES: readonly Rule[] = [
  noLatestTag,
  noUntaggedImage,
  noMutableTag,
  noFloatingTag,
  requireDigest,
  validImageReference,
  noLatestAppversion,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}
