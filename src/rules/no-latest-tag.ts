import { runtimeConsequence } from './consequence.js';
import type { ImageRule } from './types.js';

export const noLatestTag: ImageRule = {
  id: 'no-latest-tag',
  scope: 'image',
  defaultSeverity: 'error',
  description: 'Images must not use the "latest" tag, which points to a different image after every push.',
  remediation: 'Set the image tag to an exact version (for example 1.27.3) or pin a digest (@sha256:...).',
  check(use) {
    if (use.class !== 'latest') return null;
    return {
      messageId: 'latest',
      message: `"${use.image}" uses the tag "latest", which moves with every push. ${runtimeConsequence(use)}`,
    };
  },
};
