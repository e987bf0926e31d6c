import type { ImageRule } from './types.js';

export const requireDigest: ImageRule = {
  id: 'require-digest',
  scope: 'image',
  // Off by default; --require-digest (or config) turns it on at error.
  defaultSeverity: 'off',
  description: 'Images must be pinned by digest, the only reference a registry cannot move.',
  remediation: 'Append the digest the tag resolves to (image:tag@sha256:...), e.g. with "imageguard pin".',
  check(use) {
    if (use.class === 'digest' || use.class === 'invalid') return null;
    return {
      messageId: 'no-digest',
      message: `"${use.image}" is not pinned to a digest; a registry can re-push any tag.`,
    };
  },
};
