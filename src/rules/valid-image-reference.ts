import type { ImageRule } from './types.js';

export const validImageReference: ImageRule = {
  id: 'valid-image-reference',
  scope: 'image',
  defaultSeverity: 'error',
  description: 'Image fields must hold a valid image reference (name[:tag][@digest]).',
  remediation: 'Fix the reference: lower-case repository, a tag of letters, digits, "_", "." or "-", a full digest.',
  check(use) {
    if (use.class !== 'invalid') return null;
    if (!use.isString || use.image === '') {
      const what = use.image === '' ? 'is empty' : `holds ${use.image}, not a string`;
      return { messageId: 'not-a-string', message: `The image field ${what}; the kubelet cannot pull it.` };
    }
    return {
      messageId: 'invalid',
      message: `"${use.image}" is not a valid image reference (${use.parseError ?? 'invalid reference format'}); the kubelet cannot pull it.`,
    };
  },
};
