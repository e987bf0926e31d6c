import { describe, expect, it } from 'vitest';
import { classifyUse, DEFAULT_SETTINGS } from '../../src/lint/engine.js';
import type { ImageUse } from '../../src/manifest/types.js';
import type { ClassifiedUse, ImageRule } from '../../src/rules/types.js';

export function imageUse(image: string, overrides: Partial<ImageUse> = {}): ImageUse {
  return {
    image,
    isString: true,
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' },
    container: { name: 'app', type: 'container' },
    template: 'demo/templates/deployment.yaml',
    hook: null,
    line: 10,
    fieldPath: 'spec.template.spec.containers[0].image',
    imagePullPolicy: null,
    ignoredRules: [],
    ...overrides,
  };
}

export function classified(image: string, overrides: Partial<ImageUse> = {}): ClassifiedUse {
  return classifyUse(imageUse(image, overrides), DEFAULT_SETTINGS);
}

interface InvalidCase {
  image: string;
  messageId: string;
  imagePullPolicy?: string;
  /** Fragment the message must contain (kept to the facts, not the prose). */
  includes?: string;
}

/** typescript-eslint style: images the rule accepts, and images it flags with the expected message id. */
export function ruleTester(rule: ImageRule, cases: { valid: readonly string[]; invalid: readonly InvalidCase[] }): void {
  describe(rule.id, () => {
    it.each(cases.valid)('accepts %s', (image) => {
      expect(rule.check(classified(image))).toBeNull();
    });
    it.each(cases.invalid)('flags $image as $messageId', ({ image, messageId, imagePullPolicy, includes }) => {
      const hit = rule.check(classified(image, { imagePullPolicy: imagePullPolicy ?? null }));
      expect(hit?.messageId).toBe(messageId);
      if (includes) expect(hit?.message).toContain(includes);
    });
  });
}
