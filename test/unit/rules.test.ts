import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/index.js';
import { noFloatingTag } from '../../src/rules/no-floating-tag.js';
import { noLatestAppversion } from '../../src/rules/no-latest-appversion.js';
import { noLatestTag } from '../../src/rules/no-latest-tag.js';
import { noMutableTag } from '../../src/rules/no-mutable-tag.js';
import { noUntaggedImage } from '../../src/rules/no-untagged-image.js';
import { requireDigest } from '../../src/rules/require-digest.js';
import { validImageReference } from '../../src/rules/valid-image-reference.js';
import { classified, imageUse, ruleTester } from '../helpers/rule-tester.js';
import { classifyUse, DEFAULT_SETTINGS } from '../../src/lint/engine.js';
import { repoRoot } from '../helpers/helm.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('rule metadata', () => {
  const ruleFiles = readdirSync(join(repoRoot, 'src', 'rules'))
    .filter((file) => file.endsWith('.ts') && !['index.ts', 'types.ts', 'consequence.ts'].includes(file))
    .map((file) => file.replace(/\.ts$/, ''));

  it('has one registered rule per file, with the id equal to the file name', () => {
    expect(RULES.map((rule) => rule.id).sort()).toEqual(ruleFiles.sort());
  });

  it.each(RULES.map((rule) => [rule.id, rule] as const))('%s has kebab-case id, docs and a remediation sentence', (_id, rule) => {
    expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(rule.description).toMatch(/^[A-Z].*\.$/);
    expect(rule.remediation).toMatch(/^[A-Z].*\.$/);
  });

  it('names exactly the rules of DESIGN.md, require-digest off by default', () => {
    expect(RULES.map((rule) => rule.id)).toEqual([
      'no-latest-tag', 'no-untagged-image', 'no-mutable-tag', 'no-floating-tag', 'require-digest',
      'valid-image-reference', 'no-latest-appversion',
    ]);
    expect(requireDigest.defaultSeverity).toBe('off');
  });
});

ruleTester(noLatestTag, {
  valid: ['nginx:1.27.3', `nginx@${DIGEST}`, 'nginx', 'nginx:stable', `nginx:latest@${DIGEST}`],
  invalid: [
    { image: 'nginx:latest', messageId: 'latest', includes: 'imagePullPolicy Always (the default here)' },
    { image: 'nginx:latest', messageId: 'latest', imagePullPolicy: 'IfNotPresent', includes: 'pods of one workload can run different images' },
  ],
});

ruleTester(noUntaggedImage, {
  valid: ['nginx:latest', 'nginx:1.27.3', `nginx@${DIGEST}`, 'registry:5000/app:1.0.0'],
  invalid: [
    { image: 'nginx', messageId: 'untagged', includes: 'every pod restart may pull different code' },
    { image: 'registry:5000/app', messageId: 'untagged' },
  ],
});

ruleTester(noMutableTag, {
  valid: ['nginx:1.27.3', 'nginx:latest', 'nginx:1.27'],
  invalid: [
    { image: 'nginx:stable', messageId: 'mutable', includes: '"stable"' },
    { image: 'app:main', messageId: 'mutable' },
    { image: 'app:nightly', messageId: 'mutable' },
  ],
});

ruleTester(noFloatingTag, {
  valid: ['nginx:1.27.3', 'bitnami/nginx:1.29.1-debian-12-r0', 'nginx:stable'],
  invalid: [
    { image: 'nginx:1.27', messageId: 'floating', includes: 'IfNotPresent' },
    { image: 'postgres:16', messageId: 'floating' },
    { image: 'redis:8.2-alpine', messageId: 'floating' },
  ],
});

ruleTester(requireDigest, {
  valid: [`nginx@${DIGEST}`, `nginx:1.27.3@${DIGEST}`, 'nginx:'],
  invalid: [{ image: 'nginx:1.27.3', messageId: 'no-digest' }],
});

ruleTester(validImageReference, {
  valid: ['nginx', 'localhost:5000/app:1.0.0', `nginx@${DIGEST}`],
  invalid: [
    { image: 'nginx:', messageId: 'invalid' },
    { image: 'nginx@sha256:abc', messageId: 'invalid' },
    { image: 'my image', messageId: 'invalid' },
  ],
});

describe('valid-image-reference on non-string values', () => {
  it.each([
    ['42', false],
    ['', false],
  ])('flags %j as not-a-string', (image, isString) => {
    const use = classifyUse(imageUse(image, { isString }), DEFAULT_SETTINGS);
    expect(validImageReference.check(use)?.messageId).toBe('not-a-string');
  });
});

describe(noLatestAppversion.id, () => {
  const chart = (appVersion: string | null, images: string[], appVersionClass: ReturnType<typeof classified>['class'] | null) => ({
    chartFile: 'demo/Chart.yaml',
    appVersion,
    appVersionLine: 6,
    appVersionClass,
    uses: images.map((image) => classified(image)),
  });

  it('flags a moving appVersion that a rendered image uses as its tag', () => {
    expect(noLatestAppversion.check(chart('latest', ['nginx:latest'], 'latest'))?.messageId).toBe('moving-appversion');
    expect(noLatestAppversion.check(chart('1.27', ['nginx:1.27'], 'floating'))?.messageId).toBe('moving-appversion');
  });

  it('accepts an exact appVersion, or a moving one no image uses', () => {
    expect(noLatestAppversion.check(chart('1.27.3', ['nginx:1.27.3'], 'version'))).toBeNull();
    expect(noLatestAppversion.check(chart('latest', ['nginx:1.27.3'], 'latest'))).toBeNull();
    expect(noLatestAppversion.check(chart(null, ['nginx:1.27.3'], null))).toBeNull();
  });
});
