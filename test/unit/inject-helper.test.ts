/**
 * Acceptance 3 of issue 5: the guard helper (templates-lib/_imageguard.tpl) rendered by real Helm 3.17.3 and
 * 4.1.4 for every case the issue lists, its verdicts compared with src/image/classify.ts, its `fail` messages,
 * the escape hatch, and two helper versions side by side (an older copy in a subchart does not collide).
 *
 * One probe chart per helm version keeps it fast: the verdicts of all cases come from one `helm template`
 * (the `imageguard.v1.resolve` template returns a verdict instead of failing); only the `fail` checks need a
 * render each, and those run in parallel.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { classifyImage, DEFAULT_MUTABLE_TAGS, type ImageClass } from '../../src/image/classify.js';
import { sealHelper } from '../../src/inject/helper.js';
import { assertHelmBinaries, HELM_VERSIONS, repoRoot } from '../helpers/helm.js';
import { removeTemp, runHelm, tempDir } from '../helpers/inject.js';

const HELPER = readFileSync(join(repoRoot, 'templates-lib', '_imageguard.tpl'), 'utf8');
const SHA = `sha256:${'0123456789abcdef'.repeat(4)}`;
const FIX = 'Pin a version or a digest.';

interface Verdict {
  image: string;
  class: ImageClass;
  message: string;
}

interface IssueCase {
  name: string;
  image: unknown;
  /** Render in a subchart: noapp has no appVersion, latestapp has appVersion "latest". */
  chart?: 'noapp' | 'latestapp';
  expected: Verdict;
}

/** The cases issue 5 lists, with the values path "image" so messages read as the issue writes them. */
const ISSUE_CASES: IssueCase[] = [
  { name: 'string image', image: 'nginx:1.27.3', expected: { image: 'nginx:1.27.3', class: 'version', message: '' } },
  { name: 'object image', image: { repository: 'nginx', tag: '1.27.3' }, expected: { image: 'nginx:1.27.3', class: 'version', message: '' } },
  {
    name: 'registry',
    image: { registry: 'quay.io', repository: 'org/app', tag: '1.2.3' },
    expected: { image: 'quay.io/org/app:1.2.3', class: 'version', message: '' },
  },
  { name: 'digest only', image: { repository: 'nginx', digest: SHA }, expected: { image: `nginx@${SHA}`, class: 'digest', message: '' } },
  {
    name: 'tag + digest',
    image: { repository: 'nginx', tag: 'latest', digest: SHA },
    expected: { image: `nginx:latest@${SHA}`, class: 'digest', message: '' },
  },
  { name: 'empty tag with appVersion', image: { repository: 'nginx', tag: '' }, expected: { image: 'nginx:2.0.0', class: 'version', message: '' } },
  {
    name: 'empty tag without appVersion',
    image: { repository: 'nginx', tag: '' },
    chart: 'noapp',
    expected: {
      image: 'nginx',
      class: 'untagged',
      message: `imageguard: .Values.image.tag is empty (no digest, no appVersion), so "nginx" pulls "latest", a mutable tag. ${FIX}`,
    },
  },
  {
    name: 'latest',
    image: { repository: 'nginx', tag: 'latest' },
    expected: { image: 'nginx:latest', class: 'latest', message: `imageguard: .Values.image.tag is "latest", a mutable tag. ${FIX}` },
  },
  {
    name: 'LATEST',
    image: { repository: 'nginx', tag: 'LATEST' },
    expected: { image: 'nginx:LATEST', class: 'mutable', message: `imageguard: .Values.image.tag is "LATEST", a mutable tag. ${FIX}` },
  },
  {
    name: 'stable',
    image: { repository: 'nginx', tag: 'stable' },
    expected: { image: 'nginx:stable', class: 'mutable', message: `imageguard: .Values.image.tag is "stable", a mutable tag. ${FIX}` },
  },
  // Floating versions pass unless global.imageguard.rejectFloating (no-floating-tag is a warning in lint, too).
  { name: 'floating 1.27', image: { repository: 'nginx', tag: '1.27' }, expected: { image: 'nginx:1.27', class: 'floating', message: '' } },
  {
    name: 'string latest',
    image: 'nginx:latest',
    expected: { image: 'nginx:latest', class: 'latest', message: `imageguard: .Values.image is "nginx:latest", a mutable tag. ${FIX}` },
  },
  {
    name: 'empty tag with appVersion latest',
    image: { repository: 'nginx', tag: '' },
    chart: 'latestapp',
    expected: {
      image: 'nginx:latest',
      class: 'latest',
      message: `imageguard: .Values.image.tag is empty and the chart's appVersion is "latest", a mutable tag. ${FIX}`,
    },
  },
];

/** Reference strings the helper must classify exactly as classify.ts does (many from test/unit/classify.test.ts). */
const AGREEMENT_REFERENCES = [
  'nginx', 'registry:5000/app', 'localhost/app', 'nginx:latest', 'docker.io/library/nginx:latest', 'nginx:LATEST',
  'nginx:stable', 'nginx:mainline-alpine', 'node:lts-alpine', 'debian:bookworm', 'app:1.0-SNAPSHOT', 'app:alpine-latest',
  'postgres:16', 'redis:8.2-alpine', 'nginx:1.27-alpine3.20', 'localhost:5000/app:1.2.3', 'registry.k8s.io/kube-proxy:v1.21.1',
  'bitnami/postgresql:12-debian-12-r51', 'jenkins/jenkins:3355.v388858a_47b_33-7', '[::1]:5000/app:2.10.1', 'Nginx/app:1.2.3',
  `nginx@${SHA}`, `nginx:1.2.3@${SHA}`, `nginx@sha512:${'b'.repeat(128)}`, '', 'nginx:', 'Nginx:1', 'nginx@sha256:abc',
  ' nginx:1.2.3', 'nginx:1.2.3 ', 'nginx:1 2', 'https://nginx', 'a'.repeat(64), `nginx@${SHA.toUpperCase().replace('SHA', 'sha')}`,
  `${'a'.repeat(250)}/b/c:1.0.0`,
];

/** Tags from DEFAULT_MUTABLE_TAGS (each entry, upper-cased, globs filled in) and the floating heuristic's edges. */
function agreementTags(): string[] {
  const fromList = DEFAULT_MUTABLE_TAGS.flatMap((entry) =>
    entry.includes('*') ? [entry.replaceAll('*', 'x1'), entry.replaceAll('*', ''), entry.replaceAll('*', 'x1').toUpperCase()] : [entry, entry.toUpperCase()],
  );
  const versions = [
    '1', '16', '1.27', 'v1', 'v1.27', 'V2', '8.2-alpine', '16-bookworm', '3.12-slim', '1.27-alpine3.20', '16-bookworm-slim',
    '24.04', '1.x', '1.2.x', '0', '12345', '123456', '1.27.3', 'v1.21.1', '1.29.1-debian-12-r0', '12-debian-12-r51', '1-r3',
    '3355.v388858a_47b_33-7', 'sha-1a2b3c4', '1a2b3c4d', '3.12-1a2b3c4', '20240101', '20240101120000', '2024.01.15',
    '3.12-slim-20240101', '3.12-20240131-slim', '3.12-20241301-slim', '3.12-19891231-slim', '2.440-1', '1.27.3-alpine',
    'v1.2.3-rc.1', 'foo', 'prod-build-17', '1-abcdefa', '1-abcdefg', '1-1234567', 'latest-', 'stable-1', 'my-lts',
  ];
  return [...new Set([...fromList, ...versions])];
}

const CASES_TEMPLATE = `{{- range $key, $case := .Values.cases }}
{{ $key }}: {{ include "imageguard.v1.resolve" (dict "image" $case.image "path" "image" "context" $) }}
{{- end }}
`;
const GUARD_TEMPLATE = `{{- with .Values.guard }}
image: {{ include "imageguard.v1.image" (dict "image" .image "path" "image" "context" $) | quote }}
{{- end }}
`;
/** An older helper copy (v0, which does not treat "stable" as mutable) in a subchart, next to the parent's v1. */
const OLD_TEMPLATE = `old-stable: {{ include "imageguard.v0.resolve" (dict "image" (dict "repository" "nginx" "tag" "stable") "path" "image" "context" $) }}
`;

function olderHelper(): string {
  const v0 = HELPER.replaceAll('imageguard.v1.', 'imageguard.v0.').replace('imageguard-helper v1 ', 'imageguard-helper v0 ').replace('"stable" ', '');
  return sealHelper(v0);
}

function writeProbe(dir: string): string {
  const chart = join(dir, 'probe');
  const files: Record<string, string> = {
    'Chart.yaml': 'apiVersion: v2\nname: probe\nversion: 0.1.0\nappVersion: "2.0.0"\n',
    'templates/_imageguard.tpl': HELPER,
    'templates/cases.yaml': CASES_TEMPLATE,
    'templates/guard.yaml': GUARD_TEMPLATE,
    'charts/noapp/Chart.yaml': 'apiVersion: v2\nname: noapp\nversion: 0.1.0\n',
    'charts/noapp/templates/cases.yaml': CASES_TEMPLATE.replace('{{ $key }}', 'noapp-{{ $key }}'),
    'charts/noapp/templates/guard.yaml': GUARD_TEMPLATE,
    'charts/latestapp/Chart.yaml': 'apiVersion: v2\nname: latestapp\nversion: 0.1.0\nappVersion: latest\n',
    'charts/latestapp/templates/cases.yaml': CASES_TEMPLATE.replace('{{ $key }}', 'latestapp-{{ $key }}'),
    'charts/latestapp/templates/guard.yaml': GUARD_TEMPLATE,
    'charts/old/Chart.yaml': 'apiVersion: v2\nname: old\nversion: 0.1.0\nappVersion: "1.0.0"\n',
    'charts/old/templates/_imageguard.tpl': olderHelper(),
    'charts/old/templates/old.yaml': OLD_TEMPLATE,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(chart, rel, '..'), { recursive: true });
    writeFileSync(join(chart, rel), text);
  }
  return chart;
}

/** One values file: every case under a YAML-safe key (c0, c1, ...); JSON keeps every tag a string. */
function casesValues(dir: string) {
  const parent: Record<string, { image: unknown }> = {};
  const sub = { noapp: {} as Record<string, { image: unknown }>, latestapp: {} as Record<string, { image: unknown }> };
  ISSUE_CASES.forEach((c, i) => {
    (c.chart ? sub[c.chart] : parent)[`c${i}`] = { image: c.image };
  });
  const references = new Map<string, string>();
  AGREEMENT_REFERENCES.forEach((reference, i) => {
    parent[`r${i}`] = { image: reference };
    references.set(`r${i}`, reference);
  });
  agreementTags().forEach((tag, i) => {
    parent[`t${i}`] = { image: { repository: 'nginx', tag } };
    references.set(`t${i}`, `nginx:${tag}`);
  });
  const file = join(dir, 'cases.json');
  writeFileSync(file, JSON.stringify({ cases: parent, noapp: { cases: sub.noapp }, latestapp: { cases: sub.latestapp } }));
  return { file, references };
}

function verdicts(stdout: string): Record<string, Verdict> {
  const all: Record<string, Verdict> = {};
  for (const doc of parseAllDocuments(stdout)) Object.assign(all, doc.toJS() as Record<string, Verdict> | null);
  return all;
}

let dir = '';
let chart = '';
let values: ReturnType<typeof casesValues>;

beforeAll(() => {
  assertHelmBinaries();
  dir = tempDir();
  chart = writeProbe(dir);
  values = casesValues(dir);
});
afterAll(() => removeTemp(dir));

for (const helm of HELM_VERSIONS) {
  describe(`guard helper with Helm ${helm.version}`, () => {
    let plain: Record<string, Verdict> = {};
    let mirrored: Record<string, Verdict> = {};
    let allowed: Record<string, Verdict> = {};
    let strict: Record<string, Verdict> = {};

    beforeAll(async () => {
      const render = async (...flags: string[]) => {
        const result = await runHelm(helm.bin, ['template', 'x', chart, '-f', values.file, ...flags]);
        expect(result.stderr).toBe('');
        expect(result.exitCode).toBe(0);
        return verdicts(result.stdout);
      };
      [plain, mirrored, allowed, strict] = await Promise.all([
        render(),
        render('--set', 'global.imageRegistry=mirror.example.com'),
        render('--set', 'global.imageguard.allowMutable=true'),
        render('--set', 'global.imageguard.rejectFloating=true'),
      ]);
    });

    it.each(ISSUE_CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
      const c = ISSUE_CASES[i]!;
      const verdict = plain[c.chart ? `${c.chart}-c${i}` : `c${i}`];
      expect(verdict).toEqual(c.expected);
      expect(classifyImage(c.expected.image).class, 'classify.ts agrees').toBe(c.expected.class);
    });

    it('global.imageRegistry replaces the registry of map images (not of strings)', () => {
      const index = (name: string) => ISSUE_CASES.findIndex((c) => c.name === name);
      expect(mirrored[`c${index('registry')}`]?.image).toBe('mirror.example.com/org/app:1.2.3');
      expect(mirrored[`c${index('object image')}`]?.image).toBe('mirror.example.com/nginx:1.27.3');
      expect(mirrored[`c${index('string image')}`]?.image).toBe('nginx:1.27.3');
    });

    it('global.imageguard.allowMutable lets latest, LATEST, stable and untagged through, never an invalid reference', () => {
      for (const [key, verdict] of Object.entries(allowed)) {
        if (verdict.class === 'invalid') expect(verdict.message, key).not.toBe('');
        else expect(verdict.message, key).toBe('');
      }
      expect(Object.values(allowed).filter((v) => ['latest', 'mutable', 'untagged'].includes(v.class)).length).toBeGreaterThan(10);
    });

    it('global.imageguard.rejectFloating refuses 1.27', () => {
      const i = ISSUE_CASES.findIndex((c) => c.name === 'floating 1.27');
      expect(strict[`c${i}`]?.message).toBe('imageguard: .Values.image.tag is "1.27", a floating version. Pin a full version or a digest.');
    });

    it('classifies every reference and tag exactly as src/image/classify.ts', () => {
      const disagreements = [...values.references].flatMap(([key, reference]) => {
        const expected = classifyImage(reference).class;
        const got = plain[key]?.class;
        return got === expected ? [] : [`${JSON.stringify(reference)}: helper ${got}, classify ${expected}`];
      });
      expect(disagreements).toEqual([]);
      expect(values.references.size).toBeGreaterThan(150);
    });

    it('an older helper copy in a subchart keeps its own names: v0 and v1 do not replace each other', () => {
      expect(plain['old-stable']).toMatchObject({ class: 'version', message: '' });
      expect(plain[`c${ISSUE_CASES.findIndex((c) => c.name === 'stable')}`]).toMatchObject({ class: 'mutable' });
    });

    const guard = async (image: unknown, flags: string[] = [], sub?: IssueCase['chart']) => {
      const valuesFile = join(dir, `guard-${helm.major}-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(valuesFile, JSON.stringify(sub ? { [sub]: { guard: { image } } } : { guard: { image } }));
      const template = sub ? `charts/${sub}/templates/guard.yaml` : 'templates/guard.yaml';
      return runHelm(helm.bin, ['template', 'x', chart, '-f', valuesFile, ...flags, '--show-only', template]);
    };

    it('fails the render with the verdict message at the include call site, for each refused case', async () => {
      const refused = ISSUE_CASES.filter((c) => c.expected.message !== '');
      const results = await Promise.all(refused.map((c) => guard(c.image, [], c.chart)));
      results.forEach((result, i) => {
        const c = refused[i]!;
        expect(result.exitCode, c.name).toBe(1);
        const file = c.chart ? `probe/charts/${c.chart}/templates/guard.yaml` : 'probe/templates/guard.yaml';
        expect(result.stderr, c.name).toContain(`Error: execution error at (${file}:2:`);
        expect(result.stderr, c.name).toContain(`): ${c.expected.message}`);
      });
    });

    it('renders the reference when the tag is pinned, and latest with allowMutable', async () => {
      const [pinned, allowedLatest, floating] = await Promise.all([
        guard({ repository: 'nginx', tag: '1.2.3' }),
        guard({ repository: 'nginx', tag: 'latest' }, ['--set', 'global.imageguard.allowMutable=true']),
        guard({ repository: 'nginx', tag: '1.27' }, ['--set', 'global.imageguard.rejectFloating=true']),
      ]);
      expect(pinned.exitCode).toBe(0);
      expect(pinned.stdout).toContain('image: "nginx:1.2.3"');
      expect(allowedLatest.stdout).toContain('image: "nginx:latest"');
      expect(floating.exitCode).toBe(1);
      expect(floating.stderr).toContain('imageguard: .Values.image.tag is "1.27", a floating version. Pin a full version or a digest.');
    });
  });
}
