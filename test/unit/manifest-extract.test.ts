import { describe, expect, it } from 'vitest';
import { extractImages } from '../../src/manifest/extract.js';
import { ManifestParseError, parseManifestStream } from '../../src/manifest/parse.js';

const options = { defaultNamespace: 'default', isImageReference: (value: string) => !value.includes(' ') };

function imagesOf(yaml: string) {
  return extractImages(parseManifestStream(yaml), options).map((use) => ({
    kind: use.resource.kind,
    name: use.resource.name,
    container: use.container.name,
    type: use.container.type,
    image: use.image,
  }));
}

const container = (name: string, image: string) => `{name: ${name}, image: "${image}"}`;

describe('parseManifestStream', () => {
  it('keeps each document template from its # Source comment and skips comment-only documents', () => {
    const docs = parseManifestStream(
      '---\n# Source: demo/templates/a.yaml\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n' +
        '---\n# Source: demo/templates/pdb.yaml\n# only comments here\n---\n# Source: demo/templates/b.yaml\nkind: Service\n',
    );
    expect(docs.map((doc) => doc.template)).toEqual([
      'demo/templates/a.yaml',
      'demo/templates/pdb.yaml',
      'demo/templates/b.yaml',
    ]);
    expect(docs[1]!.object).toBeNull();
    expect(docs[2]!.startLine).toBeGreaterThan(docs[0]!.startLine);
  });

  it('returns no documents for an empty stream', () => {
    expect(parseManifestStream('')).toEqual([]);
  });

  it('throws a ManifestParseError with a line for YAML that does not parse', () => {
    expect(() => parseManifestStream('kind: Pod\nspec: [\n')).toThrow(ManifestParseError);
  });

  it('refuses alias bombs instead of expanding them', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) bomb.push(`${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(10).fill(`*${'abcdefgh'[i - 1]}`).join(',')}]`);
    expect(() => parseManifestStream(bomb.join('\n'))).toThrow(ManifestParseError);
  });
});

describe('extractImages', () => {
  it('finds containers, initContainers and ephemeralContainers of a Pod', () => {
    const yaml = `kind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [${container('i', 'busybox:1.37.0')}]\n  containers: [${container('c', 'nginx')}]\n  ephemeralContainers: [${container('e', 'debug:1')}]\n`;
    expect(imagesOf(yaml)).toEqual([
      { kind: 'Pod', name: 'p', container: 'i', type: 'initContainer', image: 'busybox:1.37.0' },
      { kind: 'Pod', name: 'p', container: 'c', type: 'container', image: 'nginx' },
      { kind: 'Pod', name: 'p', container: 'e', type: 'ephemeralContainer', image: 'debug:1' },
    ]);
  });

  it.each(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController', 'Rollout', 'CloneSet'])(
    'finds the pod template of a %s at spec.template.spec',
    (kind) => {
      const yaml = `kind: ${kind}\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers: [${container('c', 'app:1.2.3')}]\n`;
      expect(imagesOf(yaml)).toEqual([{ kind, name: 'w', container: 'c', type: 'container', image: 'app:1.2.3' }]);
    },
  );

  it('finds a CronJob pod template under jobTemplate and a PodTemplate under template', () => {
    const cron = `kind: CronJob\nmetadata: {name: cj}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [${container('c', 'job:latest')}]\n`;
    const podTemplate = `kind: PodTemplate\nmetadata: {name: pt}\ntemplate:\n  spec:\n    containers: [${container('c', 'pt:2')}]\n`;
    expect(imagesOf(`${cron}---\n${podTemplate}`).map((use) => `${use.kind}:${use.image}`)).toEqual([
      'CronJob:job:latest',
      'PodTemplate:pt:2',
    ]);
  });

  it('unpacks List kinds', () => {
    const yaml = `kind: List\nitems:\n  - kind: Pod\n    metadata: {name: a}\n    spec: {containers: [${container('c', 'a:1.0.0')}]}\n  - kind: Pod\n    metadata: {name: b}\n    spec: {containers: [${container('c', 'b')}]}\n`;
    expect(imagesOf(yaml).map((use) => use.name)).toEqual(['a', 'b']);
  });

  it('reports image fields outside pod specs as type other (Prometheus Operator style)', () => {
    const yaml = `apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: am}\nspec:\n  image: quay.io/prometheus/alertmanager:v0.27.0\n  description: {image: not an image}\n`;
    expect(imagesOf(yaml)).toEqual([
      { kind: 'Alertmanager', name: 'am', container: 'spec.image', type: 'other', image: 'quay.io/prometheus/alertmanager:v0.27.0' },
    ]);
  });

  it('ignores image keys in ConfigMaps and CRD schemas', () => {
    const yaml = 'kind: ConfigMap\nmetadata: {name: c}\ndata: {image: nginx}\n---\nkind: CustomResourceDefinition\nmetadata: {name: x}\nspec: {image: nginx}\n';
    expect(imagesOf(yaml)).toEqual([]);
  });

  it('records hooks, template, namespace default, pull policy, field path and the line of the image', () => {
    const yaml =
      '# Source: demo/templates/test.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers:\n    - name: wget\n      imagePullPolicy: Always\n      image: busybox\n';
    const [use] = extractImages(parseManifestStream(yaml), options);
    expect(use).toMatchObject({
      hook: 'test',
      template: 'demo/templates/test.yaml',
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'default', name: 't' },
      imagePullPolicy: 'Always',
      fieldPath: 'spec.containers[0].image',
      line: 12,
    });
  });

  it('keeps a container whose image is missing or not a string, marked isString: false', () => {
    const yaml = 'kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: a, image: 42}\n    - {name: b}\n    - {name: c, image: {repository: x}}\n';
    const uses = extractImages(parseManifestStream(yaml), options);
    expect(uses.map((use) => [use.container.name, use.image, use.isString])).toEqual([
      ['a', '42', false],
      ['b', '', false],
      ['c', '{"repository":"x"}', false],
    ]);
  });

  it('uses metadata.namespace over the default namespace', () => {
    const yaml = `kind: Pod\nmetadata: {name: p, namespace: prod}\nspec: {containers: [${container('c', 'a:1.0.0')}]}\n`;
    expect(extractImages(parseManifestStream(yaml), options)[0]!.resource.namespace).toBe('prod');
  });
});
