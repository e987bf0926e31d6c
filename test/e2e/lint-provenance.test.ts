/** Issue 3 acceptance 1-2: the values line behind every image, on Helm 3 and Helm 4, and latent landmines. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageRecord, Report } from '../../src/report/types.js';
import { jsonReport, runCli } from '../helpers/cli.js';
import { assertHelmBinaries, HELM_VERSIONS, repoRoot } from '../helpers/helm.js';
import { expectLocationsHold, scalarAt } from '../helpers/scalar-at.js';

const C = (name: string) => join('..', 'shared', 'corpus', name);
const variant = (name: string) => join('..', 'shared', 'corpus', '_variants', name);
const parent = join('test', 'fixtures', 'charts', 'parent');

beforeAll(() => assertHelmBinaries());

function image(report: Report, container: string): ImageRecord {
  const found = report.images.find((record) => record.container.name === container);
  expect(found, `container ${container}`).toBeDefined();
  return found!;
}

for (const helm of HELM_VERSIONS) {
  describe(`values provenance with Helm ${helm.version}`, () => {
    const lint = async (...args: string[]) =>
      jsonReport(await runCli(['lint', ...args, '--format', 'json', '--fail-on', 'never', '--release', 'x'], { helmBin: helm.bin }));

    it('helm create: the tag falls back to Chart.yaml appVersion, the repository comes from values.yaml', async () => {
      const web = image(await lint(C('helm-create')), 'helm-create');
      expect(web.values).toEqual([
        { file: `${C('helm-create')}/Chart.yaml`, path: 'appVersion', line: 24, column: 13 },
        { file: `${C('helm-create')}/values.yaml`, path: 'image.repository', line: 10, column: 15 },
      ]);
      expectLocationsHold(web.values, { appVersion: '1.16.0', 'image.repository': 'nginx' });
    });

    it('helm create --set image.tag=latest: the --set flag comes first', async () => {
      const web = image(await lint(C('helm-create'), '--set', 'image.tag=latest'), 'helm-create');
      expect(web.values[0]).toEqual({ file: '--set', path: 'image.tag' });
      expect(web.values[1]).toMatchObject({ path: 'image.repository', line: 10 });
    });

    it('helm create -f file: the line in that file', async () => {
      const file = variant('helm-create--tag-latest.yaml');
      const web = image(await lint(C('helm-create'), '-f', file), 'helm-create');
      expect(web.values[0]).toEqual({ file, path: 'image.tag', line: 2, column: 8 });
      expect(scalarAt(file, 2, 8)).toBe('latest');
    });

    it('a tag hard-coded in a template gets the template location only (values: [])', async () => {
      const report = await lint(C('helm-create'));
      const busybox = image(report, 'wget');
      expect(busybox.values).toEqual([]);
      expect(busybox.template).toBe('helm-create/templates/tests/test-connection.yaml');
      for (const pod of (await lint(C('podinfo'))).images.filter((record) => record.hook !== null)) expect(pod.values).toEqual([]);
    });

    it('Bitnami nginx: registry, repository and tag; with global.imageRegistry and a digest from a -f file', async () => {
      const plain = image(await lint(C('nginx')), 'nginx');
      expect(plain.values.map((v) => v.path)).toEqual(['image.tag', 'image.repository', 'image.registry']);
      expectLocationsHold(plain.values, { 'image.tag': '1.29.1-debian-12-r0', 'image.repository': 'bitnami/nginx', 'image.registry': 'docker.io' });
      const file = variant('nginx--global-registry-digest-metrics.yaml');
      const report = await lint(C('nginx'), '-f', file);
      const pinned = image(report, 'nginx');
      expect(pinned.values.map((v) => `${v.file === file ? 'variant' : 'chart'}:${v.path}`)).toEqual([
        'variant:image.digest',
        'chart:image.repository',
        'variant:global.imageRegistry',
      ]);
      expectLocationsHold(pinned.values, { 'global.imageRegistry': 'registry.example.com', 'image.digest': pinned.reference!.digest! });
      expect(image(report, 'metrics').values.map((v) => v.path)).toEqual([
        'metrics.image.tag', 'metrics.image.repository', 'global.imageRegistry',
      ]);
    });

    it('podinfo and ingress-nginx digests', async () => {
      expect(image(await lint(C('podinfo')), 'podinfo').values.map((v) => [v.path, v.line])).toEqual([
        ['image.tag', 11], ['image.repository', 10],
      ]);
      const controller = image(await lint(C('ingress-nginx')), 'controller');
      expect(controller.values.map((v) => v.path)).toEqual([
        'controller.image.tag', 'controller.image.digest', 'controller.image.image', 'global.image.registry',
      ]);
      expectLocationsHold(controller.values, { 'controller.image.digest': controller.reference!.digest!, 'controller.image.tag': 'v1.15.1' });
    });

    it('grafana: sidecar and init container values; the image renderer is latent until enabled', async () => {
      const plain = await lint(C('grafana'));
      const latent = plain.findings.find((finding) => finding.latent);
      expect(latent).toMatchObject({ ruleId: 'no-latest-tag', severity: 'warning', resource: null, image: 'docker.io/grafana/grafana-image-renderer:latest' });
      expect(latent!.values[0]).toMatchObject({ file: `${C('grafana')}/values.yaml`, path: 'imageRenderer.image.tag' });
      expectLocationsHold(latent!.values, { 'imageRenderer.image.tag': 'latest' });

      const enabled = await lint(C('grafana'), '-f', variant('grafana--renderer-sidecars-persistence.yaml'));
      const rendered = enabled.findings.find((finding) => finding.image?.includes('grafana-image-renderer'));
      expect(rendered).toMatchObject({ latent: false, severity: 'error', resource: { kind: 'Deployment' } });
      expect(rendered!.values[0]).toMatchObject({ path: 'imageRenderer.image.tag' });
      expect(image(enabled, 'grafana-sc-dashboard').values.map((v) => v.path)).toEqual([
        'sidecar.image.tag', 'sidecar.image.repository', 'sidecar.image.registry',
      ]);
      const withoutLatent = await lint(C('grafana'), '--no-latent');
      expect(withoutLatent.findings).toEqual([]);
    });

    it('a parent chart overriding its subchart image: the parent values line wins over the subchart default', async () => {
      const child = image(await lint(parent), 'child');
      expect(child.image).toBe('quay.io/example/child:2.0.1');
      expect(child.values[0]).toMatchObject({ file: `${parent}/values.yaml`, path: 'child.image.tag', line: 8 });
      expect(child.values.slice(1).map((v) => [v.file, v.path])).toEqual([
        [`${parent}/charts/child/values.yaml`, 'image.repository'],
        [`${parent}/charts/child/values.yaml`, 'image.registry'],
      ]);
      expectLocationsHold(child.values, { 'child.image.tag': '2.0.1', 'image.repository': 'example/child', 'image.registry': 'quay.io' });
      const viaSet = image(await lint(parent, '--set', 'child.image.tag=latest'), 'child');
      expect(viaSet.values[0]).toEqual({ file: '--set', path: 'child.image.tag' });
      expect(image(await lint(parent), 'pinned-in-template').values).toEqual([]);
    });
  });
}

describe('exemptions and latent findings in a subchart', () => {
  const helm = HELM_VERSIONS[0]!;
  const lint = async (...args: string[]) =>
    runCli(['lint', parent, ...args, '--release', 'x'], { helmBin: helm.bin, cwd: repoRoot });

  it('an imageguard.io/ignore annotation suppresses the named rule and the JSON says why', async () => {
    const result = await lint('--set', 'child.image.tag=2.1', '--format', 'json');
    const report = jsonReport(result);
    expect(report.findings.filter((f) => f.ruleId === 'no-floating-tag')).toEqual([]);
    expect(report.suppressed).toHaveLength(1);
    expect(report.suppressed[0]).toMatchObject({
      ruleId: 'no-floating-tag',
      suppression: { source: 'annotation', reason: 'imageguard.io/ignore on Deployment/x-child' },
    });
    const text = await lint('--set', 'child.image.tag=2.1');
    expect(text.stdout).toContain('1 suppressed');
  });

  it('a disabled sidecar with a moving tag is a latent warning at its values line, rendered once enabled', async () => {
    const report = jsonReport(await lint('--format', 'json'));
    expect(report.findings).toEqual([
      expect.objectContaining({ latent: true, severity: 'warning', ruleId: 'no-latest-tag', image: 'busybox:latest' }),
    ]);
    expect(report.findings[0]!.values).toEqual([{ file: `${parent}/charts/child/values.yaml`, path: 'debug.image', line: 8, column: 10 }]);
    const enabled = jsonReport(await lint('--set', 'child.debug.enabled=true', '--format', 'json'));
    expect(enabled.findings).toEqual([expect.objectContaining({ latent: false, severity: 'error', image: 'busybox:latest' })]);
  });
});
