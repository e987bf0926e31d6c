import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/lint/engine.js';
import { countChanges, diffRevisions, hasChanges } from '../../src/release/diff.js';
import { revisionImages, RevisionParseError } from '../../src/release/revision.js';
import type { RevisionInfo } from '../../src/release/types.js';

const info = (revision: number): RevisionInfo => ({ revision, status: 'deployed', chart: 'demo-0.1.0', appVersion: '1.0', updated: '', description: '' });

const deployment = (image: string, extra = '') => `---
# Source: demo/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: ${image}
${extra}`;

const sidecar = (image: string) => `        - name: proxy
          image: ${image}
`;

const testHook = (image: string) => `---
# Source: demo/templates/tests/test.yaml
apiVersion: v1
kind: Pod
metadata:
  name: web-test
  annotations:
    "helm.sh/hook": test
spec:
  containers:
    - name: wget
      image: ${image}
`;

describe('revisionImages', () => {
  it('reads manifest and hooks with lint\'s parse, extract and classify; the release namespace fills in', () => {
    const revision = revisionImages({ info: info(1), manifest: deployment('nginx:1.25.3'), hooks: testHook('busybox') }, 'prod', DEFAULT_SETTINGS);
    expect(revision.uses.map((use) => [use.resource.namespace, use.resource.kind, use.container.name, use.image, use.class, use.hook, use.template])).toEqual([
      ['prod', 'Deployment', 'web', 'nginx:1.25.3', 'version', null, 'demo/templates/deployment.yaml'],
      ['prod', 'Pod', 'wget', 'busybox', 'untagged', 'test', 'demo/templates/tests/test.yaml'],
    ]);
  });

  it('uses the configured mutable tags', () => {
    const settings = { ...DEFAULT_SETTINGS, mutableTags: ['prod'] };
    expect(revisionImages({ info: info(1), manifest: deployment('app:prod'), hooks: '' }, null, settings).uses[0]?.class).toBe('mutable');
  });

  it('a manifest that is not YAML is a RevisionParseError naming the revision', () => {
    expect(() => revisionImages({ info: info(4), manifest: 'a: [', hooks: '' }, null, DEFAULT_SETTINGS)).toThrow(RevisionParseError);
    expect(() => revisionImages({ info: info(4), manifest: 'a: [', hooks: '' }, null, DEFAULT_SETTINGS)).toThrow(/^revision 4 manifest: invalid YAML at line 1/);
  });
});

describe('diffRevisions', () => {
  const read = (n: number, manifest: string, hooks = '') => revisionImages({ info: info(n), manifest, hooks }, 'default', DEFAULT_SETTINGS);

  it('marks every container added, removed, changed or unchanged, hooks included', () => {
    const a = read(1, deployment('nginx:1.25.3', sidecar('envoy:v1.30.1')), testHook('busybox'));
    const b = read(2, deployment('nginx:latest'), testHook('busybox:1.36.1'));
    const entries = diffRevisions(a, b);
    expect(entries.map((e) => [e.container.name, e.change, e.from?.image ?? null, e.from?.class ?? null, e.to?.image ?? null, e.to?.class ?? null])).toEqual([
      ['web', 'changed', 'nginx:1.25.3', 'version', 'nginx:latest', 'latest'],
      ['proxy', 'removed', 'envoy:v1.30.1', 'version', null, null],
      ['wget', 'changed', 'busybox', 'untagged', 'busybox:1.36.1', 'version'],
    ]);
    expect(entries[2]?.to).toMatchObject({ hook: 'test', reference: { registry: 'docker.io', repository: 'library/busybox', tag: '1.36.1', digest: null } });
    expect(countChanges(entries)).toEqual({ added: 0, removed: 1, changed: 2, unchanged: 0 });
    expect(hasChanges(entries)).toBe(true);
    const back = diffRevisions(b, a);
    expect(back.map((e) => e.change)).toEqual(['changed', 'changed', 'added']);
  });

  it('the same image spelled differently is unchanged (nginx = docker.io/library/nginx:latest)', () => {
    const entries = diffRevisions(read(1, deployment('nginx')), read(2, deployment('docker.io/library/nginx:latest')));
    expect(entries.map((e) => e.change)).toEqual(['unchanged']);
    expect(hasChanges(entries)).toBe(false);
  });

  it('a digest change under the same tag is a change', () => {
    const d1 = `sha256:${'1'.repeat(64)}`;
    const d2 = `sha256:${'2'.repeat(64)}`;
    expect(diffRevisions(read(1, deployment(`nginx:1.25.3@${d1}`)), read(2, deployment(`nginx:1.25.3@${d2}`)))[0]?.change).toBe('changed');
  });
});
