// The lock file (stable order, round trip, drift) and the post-renderer's edit (only pod-spec image scalars change,
// every other byte stays).
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../../src/errors.js';
import { pinKind } from '../../src/pin/images.js';
import { compareLock, parseLock, serializeLock, updateLock } from '../../src/pin/lock.js';
import { pinManifest, RewriteInputError } from '../../src/pin/rewrite.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;

describe('lock keys', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27.3', 'docker.io/library/nginx:1.27.3'],
    ['docker.io/library/nginx:1.27.3', 'docker.io/library/nginx:1.27.3'],
    ['127.0.0.1:5000/demo/app', '127.0.0.1:5000/demo/app:latest'],
    ['ghcr.io/org/app:v1', 'ghcr.io/org/app:v1'],
  ])('%s -> %s', (image, key) => {
    expect(pinKind(image)).toMatchObject({ kind: 'pin', key });
  });

  it('leaves digests alone and reports invalid references', () => {
    expect(pinKind(`nginx:1@${D1}`)).toEqual({ kind: 'digest' });
    expect(pinKind('nginx:')).toMatchObject({ kind: 'invalid' });
    expect(pinKind(42)).toMatchObject({ kind: 'invalid', reason: 'not a string' });
  });
});

describe('lock file', () => {
  const resolved = new Map([
    ['ghcr.io/b/app:2', D2],
    ['docker.io/library/nginx:1.27.3', D1],
  ]);
  const first = updateLock(null, resolved, new Date('2025-01-02T03:04:05.678Z'));

  it('serialises sorted by image, stamps resolvedAt, and parses back', () => {
    const text = serializeLock(first);
    expect(text.indexOf('docker.io/library/nginx')).toBeLessThan(text.indexOf('ghcr.io/b/app'));
    expect(text).toContain('resolvedAt: "2025-01-02T03:04:05Z"');
    expect(parseLock(text, 'x.yaml')).toEqual({ entries: [...first.entries].sort((a, b) => (a.image < b.image ? -1 : 1)) });
    expect(serializeLock(parseLock(text, 'x.yaml'))).toBe(text);
  });

  it('keeps resolvedAt while a digest stays, so an unchanged lock is byte-identical', () => {
    const again = updateLock(parseLock(serializeLock(first), 'x'), resolved, new Date('2026-01-01T00:00:00Z'));
    expect(serializeLock(again)).toBe(serializeLock(first));
    const moved = updateLock(first, new Map([...resolved, ['ghcr.io/b/app:2', D3]]), new Date('2026-01-01T00:00:00Z'));
    expect(moved.entries.find((e) => e.image === 'ghcr.io/b/app:2')).toEqual({ image: 'ghcr.io/b/app:2', digest: D3, resolvedAt: '2026-01-01T00:00:00Z' });
  });

  it('reports moved tags, missing and stale images', () => {
    const now = new Map([
      ['docker.io/library/nginx:1.27.3', D3],
      ['quay.io/new/app:1', D1],
    ]);
    expect(compareLock(first, now)).toEqual({
      moved: [{ image: 'docker.io/library/nginx:1.27.3', locked: D1, now: D3 }],
      missing: ['quay.io/new/app:1'],
      stale: ['ghcr.io/b/app:2'],
    });
  });

  it.each([
    ['lockVersion: 2\nimages: []\n', /expected lockVersion: 1/],
    ['lockVersion: 1\nimages:\n  - image: a\n    digest: sha256:abc\n', /images\[0\] needs an image and a digest/],
    ['lockVersion: 1\nimages: {}\n', /images must be a list/],
    ['lockVersion: [\n', /invalid YAML/],
  ])('rejects %j as a usage error', (text, message) => {
    expect(() => parseLock(text, 'bad.yaml')).toThrow(UsageError);
    expect(() => parseLock(text, 'bad.yaml')).toThrow(message);
  });
});

const RENDERED = `---
# Source: demo/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # a comment that must stay
  annotations:
    note: "image: nginx:1.27.3 in text is not an image"
spec:
  template:
    spec:
      initContainers:
        - name: init
          image: 'busybox:1.37.0'
      containers:
        - name: web
          image: "nginx:1.27.3"
          args: ["--image", "nginx:1.27.3"]
        - name: pinned
          image: nginx:1.27.3@${D2}
        - name: plain
          image: ghcr.io/b/app:2
---
# Source: demo/templates/cronjob.yaml
apiVersion: batch/v1
kind: CronJob
metadata: {name: job}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: c, image: "nginx:1.27.3"}]
---
# Source: demo/templates/monitor.yaml
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: p
spec:
  image: quay.io/prometheus/prometheus:v2.55.0
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      ephemeralContainers:
        - name: debug
          image: busybox:1.37.0
`;

const DIGESTS: Record<string, string> = {
  'docker.io/library/nginx:1.27.3': D1,
  'docker.io/library/busybox:1.37.0': D3,
  'ghcr.io/b/app:2': D2,
};

describe('post-renderer edit', () => {
  const result = pinManifest(RENDERED, (key) => DIGESTS[key]);

  it('pins every pod-spec image of every workload kind, in its own quoting style', () => {
    expect(result.text).toContain(`image: 'busybox:1.37.0@${D3}'`);
    expect(result.text).toContain(`image: "nginx:1.27.3@${D1}"`);
    expect(result.text).toContain(`image: ghcr.io/b/app:2@${D2}`);
    expect(result.text).toContain(`containers: [{name: c, image: "nginx:1.27.3@${D1}"}]`);
    expect(result.text).toContain(`image: busybox:1.37.0@${D3}\n`);
    expect(result.pinned.map((p) => p.image)).toEqual(['busybox:1.37.0', 'nginx:1.27.3', 'ghcr.io/b/app:2', 'nginx:1.27.3', 'busybox:1.37.0']);
    expect(result.missing).toEqual([]);
  });

  it('changes nothing else: removing the inserted digests gives the input back byte for byte', () => {
    // D1 and D3 appear only where they were inserted; D2 was in the input once (the already-pinned image).
    const restored = result.text.replaceAll(`@${D1}`, '').replaceAll(`@${D3}`, '').replace(`ghcr.io/b/app:2@${D2}`, 'ghcr.io/b/app:2');
    expect(restored).toBe(RENDERED);
  });

  it('leaves image fields outside pod specs, args and annotations alone', () => {
    expect(result.text).toContain('image: quay.io/prometheus/prometheus:v2.55.0\n');
    expect(result.text).toContain('args: ["--image", "nginx:1.27.3"]');
    expect(result.text).toContain('note: "image: nginx:1.27.3 in text is not an image"');
    expect(result.text).toContain(`image: nginx:1.27.3@${D2}\n`);
  });

  it('is valid YAML whose objects differ from the input only in those images', () => {
    const before = parseAllDocuments(RENDERED).map((d) => JSON.stringify(d.toJS()));
    const after = parseAllDocuments(result.text).map((d) => JSON.stringify(d.toJS()));
    const strip = (s: string) => s.replace(/@sha256:[0-9a-f]{64}/g, '');
    expect(after.map(strip)).toEqual(before.map(strip));
  });

  it('lists images without a digest, and invalid ones, instead of guessing', () => {
    const partial = pinManifest(RENDERED, (key) => (key.startsWith('docker.io/library/nginx') ? D1 : undefined));
    expect(partial.missing).toEqual(['docker.io/library/busybox:1.37.0', 'ghcr.io/b/app:2']);
    const invalid = pinManifest('kind: Pod\nspec:\n  containers:\n    - name: a\n      image: "Nginx:"\n', () => D1);
    expect(invalid.invalid).toEqual([{ image: 'Nginx:', reason: expect.any(String) }]);
  });

  it('replaces an alias, not the anchored value it points to', () => {
    const text = 'kind: Pod\nmetadata:\n  labels: {img: &img "nginx:1.27.3"}\nspec:\n  containers:\n    - name: a\n      image: *img\n';
    const out = pinManifest(text, () => D1).text;
    expect(out).toBe(`kind: Pod\nmetadata:\n  labels: {img: &img "nginx:1.27.3"}\nspec:\n  containers:\n    - name: a\n      image: "nginx:1.27.3@${D1}"\n`);
  });

  it('accepts empty input and rejects input that is not YAML', () => {
    expect(pinManifest('', () => D1).text).toBe('');
    expect(() => pinManifest('kind: [\n', () => D1)).toThrow(RewriteInputError);
  });
});
