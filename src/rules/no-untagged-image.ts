import { runtimeConsequence } from './consequence.js';
import type { ImageRule } from './types.js';

export const noUntaggedImage: ImageRule = {
  id: 'no-untagged-image',
  scope: 'image',
  defaultSeverity: 'error',
  description: 'Images must carry a tag or a digest; with neither the runtime pulls "latest".',
  remediation: 'Add an exact version tag (for example busybox:1.37.0) or a digest (@sha256:...).',
  check(use) {
    if (use.class !== 'untagged') return null;
    return {
      messageId: 'untagged',
      message: `"${use.image}" has no tag or digest, so it runs whatever "latest" points to. ${runtimeConsequence(use)}`,
    };
  },
};
