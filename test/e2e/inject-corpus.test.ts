/**
 * Acceptance 1 and 2 of issue 5 on temporary copies of corpus charts, with Helm 3.17.3 and 4.1.4:
 * after `imageguard inject --rewrite`, the default render is byte-identical to the original chart's (helm's
 * random values masked, see RANDOM_MASKS), `--set <path>.tag=latest` fails with the guard's message naming the
 * path, `--set <path>.tag=1.2.3` renders, and global.imageguard.allowMutable=true lets latest through.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { corpusDir, loadCorpus } from '../helpers/corpus.js';
import { assertHelmBinaries, HELM_VERSIONS } from '../helpers/helm.js';
import { copyCorpusChart, maskRandom, RANDOM_MASKS, removeTemp, runHelm, tempDir } from '../helpers/inject.js';

const corpus = loadCorpus();

interface GuardedImage {
  /** Values path of the image (what --set and the message name). */
  path: string;
  /** Flags that make the chart render this image. */
  enable: string[];
  /** The image line rendered with tag 1.2.3. */
  pinned: string;
  /** The image line rendered with tag latest under allowMutable. */
  latest: string;
}

/**
 * Charts where --rewrite applies: helm create, podinfo, a Bitnami chart, and grafana, whose only recognised line is in
 * its test pod under templates/tests/, which its .helmignore hides from helm: inject leaves it alone (0 rewritten).
 */
const CHARTS: { chart: string; rewritten: number; images: GuardedImage[] }[] = [
  {
    chart: 'helm-create',
    rewritten: 1,
    images: [{ path: 'image', enable: [], pinned: 'image: "nginx:1.2.3"', latest: 'image: "nginx:latest"' }],
  },
  {
    chart: 'podinfo',
    rewritten: 3,
    images: [
      { path: 'image', enable: [], pinned: 'image: "ghcr.io/stefanprodan/podinfo:1.2.3"', latest: 'image: "ghcr.io/stefanprodan/podinfo:latest"' },
      { path: 'redis', enable: ['--set', 'redis.enabled=true'], pinned: 'image: "docker.io/redis:1.2.3"', latest: 'image: "docker.io/redis:latest"' },
    ],
  },
  {
    chart: 'nginx',
    rewritten: 3,
    images: [
      { path: 'image', enable: [], pinned: 'image: docker.io/bitnami/nginx:1.2.3', latest: 'image: docker.io/bitnami/nginx:latest' },
      {
        path: 'metrics.image',
        enable: ['--set', 'metrics.enabled=true'],
        pinned: 'image: docker.io/bitnami/nginx-exporter:1.2.3',
        latest: 'image: docker.io/bitnami/nginx-exporter:latest',
      },
    ],
  },
  // grafana's .helmignore leaves templates/tests out of every render, so only acceptance 1 applies to it.
  { chart: 'grafana', rewritten: 0, images: [] },
];

let dir = '';
const copies = new Map<string, string>();

describe.skipIf(corpus === null)('inject --rewrite on corpus charts', () => {
  beforeAll(async () => {
    assertHelmBinaries();
    dir = tempDir();
    await Promise.all(
      CHARTS.map(async ({ chart, rewritten }) => {
        const copy = copyCorpusChart(chart, dir);
        const result = await runCli(['inject', copy, '--rewrite']);
        expect(result.exitCode, result.stderr).toBe(0);
        expect(result.stderr).toContain(`${rewritten} image expression(s) rewritten`);
        copies.set(chart, copy);
      }),
    );
  });
  afterAll(() => removeTemp(dir));

  it('masks only what helm randomises (nginx, podinfo, grafana; helm create is compared unmasked)', () => {
    expect(RANDOM_MASKS.map((mask) => `${mask.chart}: ${mask.what}`)).toEqual([
      'nginx: Secret x-nginx-tls data tls.crt, tls.key, ca.crt (self-signed certificate, genCA)',
      'grafana: Secret x-grafana data admin-password (randAlphaNum)',
      'grafana: Deployment x-grafana pod annotation checksum/secret (hash of that password)',
      'podinfo: helm test Pod names x-podinfo-*-test-XXXXX (randAlphaNum 5 suffix)',
    ]);
  });

  for (const helm of HELM_VERSIONS) {
    describe(`Helm ${helm.version}`, () => {
      const template = (chartDir: string, ...flags: string[]) => runHelm(helm.bin, ['template', 'x', chartDir, '--kube-version', '1.32.0', ...flags]);

      it.each(CHARTS.map((c) => c.chart))('%s: the default render is unchanged by the rewrite', async (chart) => {
        const [before, after] = await Promise.all([template(join(corpusDir, chart)), template(copies.get(chart)!)]);
        expect(before.exitCode, before.stderr).toBe(0);
        expect(after.exitCode, after.stderr).toBe(0);
        expect(after.stderr).toBe(before.stderr);
        if (!RANDOM_MASKS.some((mask) => mask.chart === chart)) {
          expect(after.stdout).toBe(before.stdout);
          return;
        }
        // Each mask must hit, else the list above is stale; everything else must match byte for byte.
        for (const mask of RANDOM_MASKS.filter((m) => m.chart === chart)) expect(before.stdout, mask.what).toMatch(mask.pattern);
        expect(maskRandom(chart, after.stdout)).toBe(maskRandom(chart, before.stdout));
      });

      const images = CHARTS.flatMap(({ chart, images: list }) => list.map((image) => [`${chart} ${image.path}`, chart, image] as const));

      it.each(images)('%s: latest fails naming the path, 1.2.3 renders, allowMutable lets latest through', async (_name, chart, image) => {
        const copy = copies.get(chart)!;
        const [latest, pinned, allowed] = await Promise.all([
          template(copy, ...image.enable, '--set', `${image.path}.tag=latest`),
          template(copy, ...image.enable, '--set', `${image.path}.tag=1.2.3`),
          template(copy, ...image.enable, '--set', `${image.path}.tag=latest`, '--set', 'global.imageguard.allowMutable=true'),
        ]);
        expect(latest.exitCode).toBe(1);
        expect(latest.stderr).toMatch(new RegExp(`^Error: execution error at \\(${chart}/templates/[\\w/-]+\\.yaml:\\d+:\\d+\\): `, 'm'));
        expect(latest.stderr).toContain(`imageguard: .Values.${image.path}.tag is "latest", a mutable tag. Pin a version or a digest.`);
        expect(pinned.exitCode, pinned.stderr).toBe(0);
        expect(pinned.stdout).toContain(image.pinned);
        expect(allowed.exitCode, allowed.stderr).toBe(0);
        expect(allowed.stdout).toContain(image.latest);
      });
    });
  }
});
