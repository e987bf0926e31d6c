import { runtimeConsequence } from './consequence.js';
import type { ImageRule } from './types.js';

export const noMutableTag: ImageRule = {
  id: 'no-mutable-tag',
  scope: 'image',
  defaultSeverity: 'error',
  description: 'Images must not use a named channel tag (stable, main, dev, nightly, ...) that is re-pushed as it moves.',
  remediation: 'Replace the channel tag with the exact version it currently points to, or pin a digest.',
  check(use) {
    if (use.class !== 'mutable') return null;
    const tag = use.reference?.tag ?? '';
    return {
      messageId: 'mutable',
      message: `"${use.image}" uses "${tag}", a channel tag that is re-pushed as it moves. ${runtimeConsequence(use)}`,
    };
  },
};
