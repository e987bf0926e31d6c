import { runtimeConsequence } from './consequence.js';
import type { ImageRule } from './types.js';

export const noFloatingTag: ImageRule = {
  id: 'no-floating-tag',
  scope: 'image',
  defaultSeverity: 'warning',
  description: 'Images should not use a partial version (1, 1.27, 8.2-alpine) that moves to each new release.',
  remediation: 'Use the full version (for example 1.27.3) or pin a digest.',
  check(use) {
    if (use.class !== 'floating') return null;
    const tag = use.reference?.tag ?? '';
    return {
      messageId: 'floating',
      message: `"${use.image}" uses "${tag}", a partial version that moves to each new release. ${runtimeConsequence(use)}`,
    };
  },
};
