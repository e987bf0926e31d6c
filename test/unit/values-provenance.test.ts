import { describe, expect, it } from 'vitest';
import { parseNormalizedNamed } from '../../src/image/reference.js';
import { DEFAULT_MUTABLE_TAGS } from '../../src/image/classify.js';
import { lint, type LintSettings } from '../../src/lint/engine.js';
import { composedReference, latentFindings } from '../../src/lint/latent.js';
import type { ImageUse } from '../../src/manifest/types.js';
import type { RuleSeverity } from '../../src/rules/types.js';
import { detectImages, type DetectedImage } from '../../src/values/detect.js';
import { parseValues } from '../../src/values/load.js';
import { mergeSources, type PlacedSource } from '../../src/values/merge.js';
import { ValuesProvenance, type ChartScope } from '../../src/values/provenance.js';
import type { ValueOrigin, ValuesPath } from '../../src/values/types.js';
import { classified, imageUse } from '../helpers/rule-tester.js';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const CHART_ORIGIN: ValueOrigin = { file: 'demo/Chart.yaml', path: 'appVersion', line: 5, column: 13 };

function isRef(value: string): boolean {
  try {
    parseNormalizedNamed(value);
    return true;
  } catch {
    return false;
  }
}

const source = (file: string, prefix: ValuesPath, text: string[]): PlacedSource => ({
  source: parseValues(`${text.join('\n')}\n`, file),
  prefix,
});
const values = (...text: string[]): PlacedSource => source('demo/values.yaml', [], text);
const rootScope = (appVersion: string | null = null): ChartScope => ({
  templatePrefix: 'demo/',
  valuesPrefix: [],
  appVersion: appVersion === null ? null : { value: appVersion, origin: CHART_ORIGIN },
});
const subScope: ChartScope = { templatePrefix: 'demo/charts/sub/', valuesPrefix: ['sub'], appVersion: null };
const provenance = (sources: PlacedSource[], scopes: ChartScope[] = [rootScope()]): ValuesProvenance =>
  new ValuesProvenance(mergeSources(sources), scopes, isRef);
const use = (image: string, overrides: Partial<ImageUse> = {}) => classified(image, { template: 'demo/templates/x.yaml', ...overrides });
const named = (container: string, resource: string): Partial<ImageUse> => ({
  container: { name: container, type: 'container' },
  resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: resource },
});
const shown = (origins: readonly ValueOrigin[]): string[] => origins.map((o) => `${o.file}:${o.path}:${o.line}:${o.column}`);
/** Detected fields as `a.0.b`, sorted: the order of unused() is not part of its contract. */
const paths = (images: readonly DetectedImage[]): string[] => images.map((image) => image.path.join('.')).sort();
const NGINX = ['  image:', '    repository: nginx', '    tag: "1.25.3"'];

describe('ValuesProvenance.locate', () => {
  it('helm create: repository from values, tag from appVersion', () => {
    const p = provenance([values('image:', '  repository: nginx', '  pullPolicy: IfNotPresent', '  tag: ""')], [rootScope('1.16.0')]);
    expect(shown(p.locate(use('nginx:1.16.0')))).toEqual(['demo/Chart.yaml:appVersion:5:13', 'demo/values.yaml:image.repository:2:15']);
    // A tag neither values nor appVersion explain: only the repository is claimed.
    expect(shown(p.locate(use('nginx:1.17.0')))).toEqual(['demo/values.yaml:image.repository:2:15']);
  });

  it('metrics-server: a `v`-prefixed appVersion fallback', () => {
    const p = provenance([values('image:', '  repository: registry.k8s.io/metrics-server/metrics-server', '  tag: ""')], [rootScope('0.7.2')]);
    expect(shown(p.locate(use('registry.k8s.io/metrics-server/metrics-server:v0.7.2')))).toEqual([
      'demo/Chart.yaml:appVersion:5:13',
      'demo/values.yaml:image.repository:2:15',
    ]);
  });

  it('Bitnami {registry, repository, tag, digest}, with and without global.imageRegistry', () => {
    const p = provenance([
      values('global:', '  imageRegistry: my.registry.io', 'image:', '  registry: docker.io', '  repository: bitnami/nginx',
        '  tag: 1.25.3-debian-12-r0', '  digest: ""'),
    ]);
    expect(shown(p.locate(use('my.registry.io/bitnami/nginx:1.25.3-debian-12-r0')))).toEqual([
      'demo/values.yaml:image.tag:6:8',
      'demo/values.yaml:image.repository:5:15',
      'demo/values.yaml:global.imageRegistry:2:18',
    ]);
    expect(shown(p.locate(use('docker.io/bitnami/nginx:1.25.3-debian-12-r0')))).toEqual([
      'demo/values.yaml:image.tag:6:8',
      'demo/values.yaml:image.repository:5:15',
      'demo/values.yaml:image.registry:4:13',
    ]);
    // A registry neither the field nor a global override names: not this field.
    expect(p.locate(use('other.io/bitnami/nginx:1.25.3-debian-12-r0'))).toEqual([]);
  });

  it('ingress-nginx {image, tag, digest} with global.image.registry', () => {
    const p = provenance([
      values('global:', '  image:', '    registry: my.mirror.io', 'controller:', '  image:', '    registry: registry.k8s.io',
        '    image: ingress-nginx/controller', '    tag: "v1.9.4"', `    digest: ${DIGEST}`),
    ]);
    expect(shown(p.locate(use(`my.mirror.io/ingress-nginx/controller:v1.9.4@${DIGEST}`)))).toEqual([
      'demo/values.yaml:controller.image.tag:8:10',
      'demo/values.yaml:controller.image.digest:9:13',
      'demo/values.yaml:controller.image.image:7:12',
      'demo/values.yaml:global.image.registry:3:15',
    ]);
  });

  it('digest-only rendering when values carry both tag and digest', () => {
    const p = provenance([
      values('image:', '  registry: docker.io', '  repository: bitnami/redis', '  tag: 7.2.4-debian-12-r9', `  digest: "${DIGEST}"`),
    ]);
    expect(shown(p.locate(use(`docker.io/bitnami/redis@${DIGEST}`)))).toEqual([
      'demo/values.yaml:image.digest:5:11',
      'demo/values.yaml:image.repository:3:15',
      'demo/values.yaml:image.registry:2:13',
    ]);
    expect(shown(p.locate(use(`docker.io/bitnami/redis:7.2.4-debian-12-r9@${DIGEST}`)))).toEqual([
      'demo/values.yaml:image.tag:4:8',
      'demo/values.yaml:image.digest:5:11',
      'demo/values.yaml:image.repository:3:15',
      'demo/values.yaml:image.registry:2:13',
    ]);
    expect(p.locate(use(`docker.io/bitnami/redis@sha256:${'c'.repeat(64)}`))).toEqual([]);
  });

  it('a string image field in a list, as written or normalised', () => {
    const p = provenance([values('sidecars:', '  - name: log', '    image: busybox:1.36.1')]);
    const expected = ['demo/values.yaml:sidecars[0].image:3:12'];
    expect(shown(p.locate(use('busybox:1.36.1')))).toEqual(expected);
    expect(shown(p.locate(use('docker.io/library/busybox:1.36.1')))).toEqual(expected);
    expect(p.locate(use('busybox:1.36.0'))).toEqual([]);
  });

  it("a subchart template picks the subchart's field, not the parent's identical one", () => {
    const p = provenance(
      [source('demo/charts/sub/values.yaml', ['sub'], ['image:', '  repository: nginx', '  tag: "1.25.3"', 'cache:', '  image: redis:7.2.4']),
        values('replicas: 1', ...NGINX.map((line) => line.slice(2)))],
      [rootScope(), subScope],
    );
    const sub = { template: 'demo/charts/sub/templates/deployment.yaml' };
    expect(shown(p.locate(use('nginx:1.25.3', sub)))).toEqual([
      'demo/charts/sub/values.yaml:image.tag:3:8',
      'demo/charts/sub/values.yaml:image.repository:2:15',
    ]);
    expect(shown(p.locate(use('nginx:1.25.3')))).toEqual(['demo/values.yaml:image.tag:4:8', 'demo/values.yaml:image.repository:3:15']);
    // The parent's templates never claim a subchart's field.
    expect(p.locate(use('redis:7.2.4'))).toEqual([]);
    expect(paths(p.unused())).toEqual(['sub.cache.image']);
  });

  it('breaks a tie between identical fields by the container the path names, else reports nothing', () => {
    const p = provenance([values('frontend:', ...NGINX, 'worker:', ...NGINX)]);
    expect(p.locate(use('nginx:1.25.3', named('main', 'demo-api')))).toEqual([]);
    expect(paths(p.unused())).toEqual(['frontend.image', 'worker.image']);
    expect(shown(p.locate(use('nginx:1.25.3', named('worker', 'demo-worker'))))).toEqual([
      'demo/values.yaml:worker.image.tag:8:10',
      'demo/values.yaml:worker.image.repository:7:17',
    ]);
    expect(paths(p.unused())).toEqual(['frontend.image']);
  });

  // Regression test (found by these tests, fixed in src/values).
  it('breaks a tie inside a subchart when the resource name contains the subchart name', () => {
    const scope: ChartScope = { templatePrefix: 'demo/charts/worker/', valuesPrefix: ['worker'], appVersion: null };
    const p = provenance([source('demo/charts/worker/values.yaml', ['worker'], ['main:', ...NGINX, 'backup:', ...NGINX])], [rootScope(), scope]);
    const found = p.locate(use('nginx:1.25.3', { template: 'demo/charts/worker/templates/x.yaml', ...named('main', 'demo-worker-main') }));
    expect(shown(found)).toEqual([
      'demo/charts/worker/values.yaml:main.image.tag:4:10',
      'demo/charts/worker/values.yaml:main.image.repository:3:17',
    ]);
  });

  it('reports nothing for an image no field matches, or an invalid reference', () => {
    const p = provenance([values(...NGINX.map((line) => line.slice(2)))], [rootScope('1.25.3')]);
    expect(p.locate(use('redis:7.2.4'))).toEqual([]);
    expect(p.locate(use('nginx:1.24.0'))).toEqual([]);
    expect(p.locate(use('NGINX:1.25.3'))).toEqual([]);
    expect(paths(p.unused())).toEqual(['image']);
  });

  it('unused() lists exactly the fields no locate call matched', () => {
    const p = provenance([
      values(...NGINX.map((line) => line.slice(2)), 'sidecars:', '  - image: busybox:1.36.1', 'metrics:', '  image:',
        '    repository: prom/exporter', '    tag: v0.15.0'),
    ]);
    expect(paths(p.unused())).toEqual(['image', 'metrics.image', 'sidecars.0.image']);
    p.locate(use('nginx:1.25.3'));
    p.locate(use('busybox:1.36.1'));
    p.locate(use('postgres:16.4'));
    expect(paths(p.unused())).toEqual(['metrics.image']);
  });
});

describe('latent values fields', () => {
  const settings = (severities: Record<string, RuleSeverity> = {}): LintSettings => ({ mutableTags: DEFAULT_MUTABLE_TAGS, severities });
  function latent(text: string[], severities: Record<string, RuleSeverity> = {}) {
    const p = provenance([values(...text)]);
    const originOf = (image: DetectedImage): ValueOrigin[] =>
      [image.tag, image.digest, image.name, image.registry].flatMap((part) => (part && part.value !== '' ? (p.originOf(part.path) ?? []) : []));
    return latentFindings(p.unused(), originOf, settings(severities), 0);
  }
  const METRICS = (tag: string): string[] => ['metrics:', '  image:', '    repository: nginx', `    tag: ${tag}`];

  it('reports an explicit `latest` tag as a warning with its values origins', () => {
    const findings = latent(METRICS('latest'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'no-latest-tag', messageId: 'latent', severity: 'warning', image: 'nginx:latest', class: 'latest', latent: true,
      resource: null, container: null, template: null, target: 0, file: 'demo/values.yaml', line: 4,
    });
    expect(shown(findings[0]!.values)).toEqual(['demo/values.yaml:metrics.image.tag:4:10', 'demo/values.yaml:metrics.image.repository:3:17']);
    expect(findings[0]!.message).toContain('metrics.image');
  });

  it('leaves an empty tag alone (it may fall back to appVersion)', () => {
    expect(latent(METRICS('""'))).toEqual([]);
  });

  it('follows the configured severity of the rule: info stays info, off reports nothing', () => {
    expect(latent(METRICS('"1.27"')).map((f) => [f.ruleId, f.severity])).toEqual([['no-floating-tag', 'warning']]);
    expect(latent(METRICS('"1.27"'), { 'no-floating-tag': 'info' }).map((f) => [f.ruleId, f.severity])).toEqual([['no-floating-tag', 'info']]);
    expect(latent(METRICS('latest'), { 'no-latest-tag': 'off' })).toEqual([]);
  });

  it('reports a string field without a tag as no-untagged-image', () => {
    const findings = latent(['sidecars:', '  - image: busybox']);
    expect(findings.map((f) => [f.ruleId, f.severity, f.image, f.class])).toEqual([['no-untagged-image', 'warning', 'busybox', 'untagged']]);
    expect(shown(findings[0]!.values)).toEqual(['demo/values.yaml:sidecars[0].image:2:12']);
  });

  it('lint() reports only the fields the render does not use', () => {
    const p = provenance([values(...NGINX.map((line) => line.slice(2)), ...METRICS('latest'))]);
    const output = lint({ target: 3, uses: [imageUse('nginx:1.25.3', { template: 'demo/templates/x.yaml' })], chart: null, values: p }, settings());
    expect(shown(output.images[0]!.values)).toEqual(['demo/values.yaml:image.tag:3:8', 'demo/values.yaml:image.repository:2:15']);
    expect(output.findings.map((f) => [f.ruleId, f.image, f.latent, f.target, f.line])).toEqual([['no-latest-tag', 'nginx:latest', true, 3, 7]]);
  });

  // Regression test (found by these tests, fixed in src/values).
  it('lint() reports latent fields in document order', () => {
    const p = provenance([values('a:', ...METRICS('latest').slice(1), 'b:', '  image:', '    repository: redis', '    tag: latest')]);
    const output = lint({ target: 0, uses: [], chart: null, values: p }, settings());
    expect(output.findings.map((f) => [f.image, f.line])).toEqual([['nginx:latest', 4], ['redis:latest', 8]]);
  });

  it('composedReference spells out registry, tag and digest; null when the tag is left to the template', () => {
    const tree = parseValues(
      ['a:', '  registry: docker.io', '  repository: bitnami/redis', '  tag: 7.2.4', `  digest: ${'d'.repeat(64)}`,
        'b:', '  registry: quay.io', '  repository: quay.io/org/app', '  tag: "1.0"', 'c:', '  repository: nginx', '  tag: ""',
        'd:', '  image: ghcr.io/org/tool:2.1.0'].join('\n'),
      'values.yaml',
    ).tree;
    expect(detectImages(tree, isRef).map(composedReference)).toEqual([
      `docker.io/bitnami/redis:7.2.4@sha256:${'d'.repeat(64)}`,
      'quay.io/org/app:1.0',
      null,
      'ghcr.io/org/tool:2.1.0',
    ]);
  });
});
