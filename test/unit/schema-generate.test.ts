/** Schema generation (src/schema/generate.ts and patterns.ts): what each image field shape gets. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MUTABLE_TAGS, matchesMutableTag } from '../../src/image/classify.js';
import { parseNormalizedNamed } from '../../src/image/reference.js';
import { compileValuesSchema } from '../../src/schema/ajv.js';
import { generateImageSchema, MARKER, type Generated, type SchemaObject } from '../../src/schema/generate.js';
import { mutableReferencePattern, mutableTagPattern, REFERENCE_PINNED_PATTERN, TAG_PATTERN } from '../../src/schema/patterns.js';
import { violations } from '../../src/schema/violations.js';
import { detectImages } from '../../src/values/detect.js';
import { parseValues } from '../../src/values/load.js';
import { pathKey } from '../../src/values/types.js';

const isRef = (value: string): boolean => {
  try {
    parseNormalizedNamed(value);
    return true;
  } catch {
    return false;
  }
};

interface Options {
  fallsBack?: boolean;
  requireDigest?: boolean;
  mutableTags?: readonly string[];
  numeric?: string[];
}

function generate(lines: string[], options: Options = {}): Generated & { values: unknown } {
  const source = parseValues(`${lines.join('\n')}\n`, 'values.yaml', { helmTypes: true });
  const result = generateImageSchema({
    values: source.tree,
    images: detectImages(source.tree, isRef),
    origins: source.origins,
    mutableTags: options.mutableTags ?? DEFAULT_MUTABLE_TAGS,
    requireDigest: options.requireDigest ?? false,
    fallsBack: () => options.fallsBack ?? false,
    numericTags: new Set((options.numeric ?? []).map((path) => pathKey(path.split('.')))),
    definitionsKey: 'definitions',
  });
  return { ...result, values: source.tree };
}

/** Errors of imageguard's fragment alone for some values: `path: message`. */
function check(fragment: SchemaObject | null, values: unknown): string[] {
  const schema = { $schema: 'http://json-schema.org/draft-07/schema#', definitions: { imageguard: fragment }, allOf: [{ $ref: '#/definitions/imageguard' }] };
  return violations(compileValuesSchema(schema, 'test'), values, [], new Map(), 'test').map((v) => `${v.path.join('.')}: ${v.message}`);
}

describe('tags', () => {
  it('a set tag with no digest field and no appVersion fallback: required, immutable', () => {
    const { fragment, fields, warnings, values } = generate(['image:', '  repository: nginx', '  tag: "1.27.3"']);
    expect(fragment?.$comment).toBe(MARKER);
    expect(fragment?.properties).toEqual({
      image: { properties: { tag: { $ref: '#/definitions/imageguard/definitions/tag' } }, required: ['tag'] },
    });
    expect(fields).toEqual([{ path: ['image'], tagPath: ['image', 'tag'], kind: 'object', gate: null, skipped: null }]);
    expect(warnings).toEqual([]);
    expect(check(fragment, values)).toEqual([]);
    expect(check(fragment, { image: { tag: 'latest' } })).toEqual(['image.tag: "latest" is a mutable tag: pin a version or a digest']);
    expect(check(fragment, { image: { tag: 'STABLE' } })).toEqual(['image.tag: "STABLE" is a mutable tag: pin a version or a digest']);
    expect(check(fragment, { image: { tag: '1.0-SNAPSHOT' } })).toHaveLength(1);
    expect(check(fragment, { image: { tag: 16 } })).toEqual(['image.tag: 16 is a number, not a tag: quote it in YAML ("16") or use --set-string']);
    expect(check(fragment, { image: { tag: 'a b' } })).toEqual(['image.tag: "a b" is not a valid image tag']);
    expect(check(fragment, { image: { repository: 'nginx' } })).toEqual(['image.tag: has no image tag']);
    expect(check(fragment, { image: { tag: '1.28.0' } })).toEqual([]);
  });

  it('an empty tag the templates fill from .Chart.AppVersion may stay empty (helm create)', () => {
    const { fragment, values } = generate(['image:', '  repository: nginx', '  tag: ""'], { fallsBack: true });
    expect(fragment?.properties).toEqual({ image: { properties: { tag: { $ref: '#/definitions/imageguard/definitions/tagOrEmpty' } } } });
    expect(check(fragment, values)).toEqual([]);
    expect(check(fragment, { image: { tag: null } })).toEqual([]);
    expect(check(fragment, { image: { tag: 'latest' } })).toHaveLength(1);
  });

  it('an empty default without a fallback is allowed (the defaults must pass) and warned about', () => {
    const { fragment, warnings, values } = generate(['image:', '  repository: nginx', '  tag: ""']);
    expect(check(fragment, values)).toEqual([]);
    expect(warnings.map((w) => [w.origin.line, w.message])).toEqual([[3, expect.stringContaining('no template falls back to .Chart.AppVersion')]]);
  });

  it('a digest that replaces the tag (Bitnami): the tag may be empty only when a digest is set', () => {
    const { fragment, values } = generate(['image:', '  registry: docker.io', '  repository: bitnami/nginx', '  tag: 1.29.1-debian-12-r0', '  digest: ""']);
    expect(check(fragment, values)).toEqual([]);
    expect(check(fragment, { image: { tag: '', digest: '' } })).toEqual(['image.tag: the tag is empty and no digest is set']);
    expect(check(fragment, { image: { tag: '', digest: `sha256:${'a'.repeat(64)}` } })).toEqual([]);
    expect(check(fragment, { image: { tag: '1.0.0', digest: 'sha256:abc' } })).toEqual(['image.digest: "sha256:abc" is not an image digest (sha256:<64 hex>)']);
  });

  it("grafana's hex `sha`: 64 hex characters, and the tag stays required", () => {
    const { fragment } = generate(['sidecar:', '  image:', '    repository: kiwigrid/k8s-sidecar', '    tag: 2.10.1', '    sha: ""']);
    expect(check(fragment, { sidecar: { image: { tag: '2.10.1', sha: 'b'.repeat(64) } } })).toEqual([]);
    expect(check(fragment, { sidecar: { image: { tag: '2.10.1', sha: `sha256:${'b'.repeat(64)}` } } })).toHaveLength(1);
    expect(check(fragment, { sidecar: { image: { sha: 'b'.repeat(64) } } })).toEqual(['sidecar.image.tag: has no image tag']);
  });

  it('a cert-manager image without a tag key still gets the tag constrained', () => {
    const { fragment } = generate(['webhook:', '  image:', '    name: cert-manager-webhook', '    repository: ""'], { fallsBack: true });
    expect(check(fragment, { webhook: { image: { name: 'x' } } })).toEqual([]);
    expect(check(fragment, { webhook: { image: { tag: 'latest' } } })).toHaveLength(1);
  });

  it('an unquoted numeric default keeps numbers allowed until it is quoted', () => {
    const { fragment, values } = generate(['image:', '  repository: postgres', '  tag: 16'], { numeric: ['image.tag'] });
    expect(check(fragment, values)).toEqual([]);
    expect(check(fragment, { image: { tag: 'latest' } })).not.toEqual([]);
  });
});

describe('defaults that would fail', () => {
  it('a mutable default in a section that is off is constrained only when it is switched on', () => {
    const { fragment, fields, warnings, values } = generate([
      'imageRenderer:',
      '  enabled: false',
      '  image:',
      '    repository: grafana/grafana-image-renderer',
      '    tag: latest',
    ]);
    expect(fields[0]).toMatchObject({ gate: ['imageRenderer'], skipped: null });
    expect(warnings[0]?.message).toContain('constrained only when imageRenderer.enabled is true');
    expect(check(fragment, values)).toEqual([]);
    expect(check(fragment, { imageRenderer: { enabled: true, image: { tag: 'latest' } } })).toHaveLength(1);
    expect(check(fragment, { imageRenderer: { enabled: true, image: { tag: '4.0.0' } } })).toEqual([]);
  });

  it('a mutable default in a section that is on is left out, with a warning', () => {
    const { fragment, fields, warnings } = generate(['image:', '  repository: nginx', '  tag: latest']);
    expect(fragment).toBeNull();
    expect(fields[0]?.skipped).toContain('"latest" is a mutable tag');
    expect(warnings[0]).toMatchObject({ origin: { file: 'values.yaml', line: 3, column: 8 } });
  });

  it('--require-digest without a default digest is fatal; with one, digests are required', () => {
    const empty = generate(['image:', '  repository: nginx', '  tag: "1.0.0"', '  digest: ""'], { requireDigest: true });
    expect(empty.warnings.some((w) => w.fatal)).toBe(true);
    const pinned = generate(['image:', '  repository: nginx', '  tag: "1.0.0"', `  digest: sha256:${'c'.repeat(64)}`], { requireDigest: true });
    expect(pinned.warnings).toEqual([]);
    expect(check(pinned.fragment, pinned.values)).toEqual([]);
    expect(check(pinned.fragment, { image: { tag: '1.0.0' } })).toEqual(['image.digest: has no digest (--require-digest)']);
  });
});

describe('string image fields', () => {
  it('a list of containers: every element, tag or digest, not mutable', () => {
    const { fragment, values } = generate(['sidecars:', '  - name: log', '    image: busybox:1.36.1']);
    expect(fragment?.properties).toEqual({
      sidecars: { items: { properties: { image: { $ref: '#/definitions/imageguard/definitions/image' } } } },
    });
    expect(check(fragment, values)).toEqual([]);
    expect(check(fragment, { sidecars: [{ image: 'busybox:1.36.1' }, { image: 'busybox' }] })).toEqual([
      'sidecars.1.image: "busybox" has no tag or digest (the runtime pulls latest)',
    ]);
    expect(check(fragment, { sidecars: [{ image: 'registry:5000/busybox:latest' }] })).toEqual([
      'sidecars.0.image: "registry:5000/busybox:latest" uses a mutable tag: pin a version or a digest',
    ]);
    expect(check(fragment, { sidecars: [{ image: `busybox:latest@sha256:${'d'.repeat(64)}` }] })).toEqual([]);
  });
});

describe('patterns: RE2-safe and in step with the classifier', () => {
  const all = JSON.stringify(generate(['a:', '  repository: x', '  tag: "1"', '  digest: ""', 'b:', '  image: x:1', 'c:', '  enabled: false', '  image: {repository: y, tag: latest}']).fragment);

  it('uses no construct RE2 lacks (lookaround, backreferences, inline flags)', () => {
    expect(all).not.toMatch(/\(\?[=!<]|\(\?i|\\\\[1-9]/);
    for (const pattern of [...all.matchAll(/"pattern":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string)) {
      expect(() => new RegExp(pattern, 'u'), pattern).not.toThrow();
    }
  });

  const tags = ['latest', 'LATEST', 'Latest', 'stable', 'main', 'v1.2.3', '1.27', '1.0-SNAPSHOT', 'latest-alpine', 'nightly-2024', 'x-dev', 'dev', 'develop', 'devel', 'release-1.0', 'lts', 'node-lts', 'bookworm', 'alpine3.20', 'alpine', 'r1', '12-debian-12-r51'];
  it.each(tags)('%s: the schema calls it mutable exactly when the classifier does', (tag) => {
    expect(new RegExp(mutableTagPattern(DEFAULT_MUTABLE_TAGS)).test(tag)).toBe(matchesMutableTag(tag, DEFAULT_MUTABLE_TAGS));
    expect(new RegExp(mutableReferencePattern(DEFAULT_MUTABLE_TAGS)).test(`host:5000/app:${tag}`)).toBe(matchesMutableTag(tag, DEFAULT_MUTABLE_TAGS));
  });

  it.each([
    ['nginx:1.27.3', true],
    ['host:5000/app', false],
    ['host:5000/app:1.2', true],
    ['nginx', false],
    [`nginx@sha256:${'e'.repeat(64)}`, true],
    ['nginx:', false],
  ])('%s pinned: %s', (reference, pinned) => {
    expect(new RegExp(REFERENCE_PINNED_PATTERN).test(reference)).toBe(pinned);
  });

  it('the tag grammar', () => {
    expect(new RegExp(TAG_PATTERN).test('v1.2.3_build-7')).toBe(true);
    expect(new RegExp(TAG_PATTERN).test('.hidden')).toBe(false);
    expect(new RegExp(TAG_PATTERN).test('x'.repeat(129))).toBe(false);
  });

  it('configured tags extend the list (globs included)', () => {
    const { fragment } = generate(['image:', '  repository: x', '  tag: "1.0"'], { mutableTags: [...DEFAULT_MUTABLE_TAGS, 'prod-*'] });
    expect(check(fragment, { image: { tag: 'prod-current' } })).toHaveLength(1);
  });
});
