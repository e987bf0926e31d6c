/** inject's decisions on in-memory charts: idempotence, upgrades, edited helpers, --into blocks, --library, conflicts. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { shippedHelper } from '../../src/inject/assets.js';
import { sealHelper } from '../../src/inject/helper.js';
import { parseHelmIgnore } from '../../src/inject/helmignore.js';
import { BLOCK_BEGIN, BLOCK_END } from '../../src/inject/into-block.js';
import { planInject } from '../../src/inject/plan.js';
import type { ChartSnapshot, InjectOptions, Plan } from '../../src/inject/types.js';

const shipped = shippedHelper();
const CHART_YAML = '# my chart\napiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: "1.0.0"\n';
const DEPLOYMENT = 'spec:\n  containers:\n    - name: app\n      image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n';
const OPTIONS: InjectOptions = { library: false, rewrite: false, force: false };

function chart(files: Record<string, string>, library: Record<string, string> | null = null): ChartSnapshot {
  const templates = new Map(Object.entries(files).filter(([rel]) => rel.startsWith('templates/')));
  return {
    shown: 'demo',
    chartYaml: files['Chart.yaml'] ?? CHART_YAML,
    valuesYaml: files['values.yaml'] ?? 'image:\n  repository: nginx\n  tag: 1.0.0\n',
    templates,
    library: library ? new Map(Object.entries(library)) : null,
    libraryPackages: [],
    hasChartLock: false,
    skipped: [],
    ignore: parseHelmIgnore(files['.helmignore'] ?? null, 'demo/.helmignore'),
    ignored: [],
  };
}

/** The snapshot as it would be after writing the plan. */
function written(snapshot: ChartSnapshot, plan: Plan): ChartSnapshot {
  const next: ChartSnapshot = { ...snapshot, templates: new Map(snapshot.templates), library: snapshot.library ? new Map(snapshot.library) : null };
  for (const file of plan.files) {
    if (file.rel === 'Chart.yaml') next.chartYaml = file.after;
    else if (file.rel.startsWith('templates/')) next.templates.set(file.rel, file.after);
    else if (file.rel.startsWith('charts/imageguard-lib/')) (next.library ??= new Map()).set(file.rel.slice('charts/imageguard-lib/'.length), file.after);
  }
  return next;
}

function olderHelper(version: number): string {
  return sealHelper(shipped.text.replaceAll('imageguard.v1.', `imageguard.v${version}.`).replace('imageguard-helper v1 ', `imageguard-helper v${version} `));
}

const plan = (snapshot: ChartSnapshot, options: Partial<InjectOptions> = {}) => planInject(snapshot, shipped, { ...OPTIONS, ...options });

describe('templates/_imageguard.tpl', () => {
  it('is created, and a second run (with --rewrite) changes nothing', () => {
    const first = plan(chart({ 'templates/deployment.yaml': DEPLOYMENT }), { rewrite: true });
    expect(first.files.map((f) => f.rel).sort()).toEqual(['templates/_imageguard.tpl', 'templates/deployment.yaml']);
    expect(first.files.find((f) => f.rel === 'templates/_imageguard.tpl')?.after).toBe(shipped.text);
    expect(first.messages[0]).toBe('created demo/templates/_imageguard.tpl (guard helper v1)');
    expect(first.messages).toContain('demo/templates/deployment.yaml:4: .Values.image now goes through the guard');
    const second = plan(written(chart({ 'templates/deployment.yaml': DEPLOYMENT }), first), { rewrite: true });
    expect(second.files).toEqual([]);
    expect(second.messages).toEqual([]);
  });

  it('upgrades an unchanged older helper and moves the chart\'s call sites to the new names', () => {
    const snapshot = chart({
      'templates/_imageguard.tpl': olderHelper(0),
      'templates/deployment.yaml': 'image: {{ include "imageguard.v0.image" (dict "image" .Values.image "path" "image" "context" $) }}\n',
    });
    const result = plan(snapshot);
    expect(result.messages[0]).toBe('upgraded demo/templates/_imageguard.tpl from helper v0 to v1');
    expect(result.messages).toContain('demo/templates/deployment.yaml:1: now calls helper v1');
    const next = written(snapshot, result);
    expect(next.templates.get('templates/_imageguard.tpl')).toBe(shipped.text);
    expect(next.templates.get('templates/deployment.yaml')).toContain('"imageguard.v1.image"');
    expect(plan(next).files).toEqual([]);
  });

  it.each([
    ['an edited body', shipped.text.replace('"stable" ', ''), /edited by hand \(it no longer matches its checksum\)/],
    ['a file without marker', '{{- define "imageguard.v1.image" -}}mine{{- end -}}\n', /has no imageguard-helper marker/],
    ['a newer helper', olderHelper(9), /helper v9, newer than this imageguard's v1/],
  ])('leaves %s alone unless --force', (_name, text, message) => {
    const snapshot = chart({ 'templates/_imageguard.tpl': text, 'templates/a.yaml': 'image: {{ include "imageguard.v9.image" (dict) }}\n' });
    expect(() => plan(snapshot)).toThrow(UsageError);
    expect(() => plan(snapshot)).toThrow(message);
    expect(() => plan(snapshot)).toThrow(/--force/);
    const forced = plan(snapshot, { force: true });
    expect(forced.files.find((f) => f.rel === 'templates/_imageguard.tpl')?.after).toBe(shipped.text);
    expect(forced.files.find((f) => f.rel === 'templates/a.yaml')?.after).toBe('image: {{ include "imageguard.v1.image" (dict) }}\n');
  });

  it('reports an include of a template that does not call the guard, and not one that does', () => {
    const helpers = '{{- define "demo.image" -}}{{ .Values.image.repository }}{{- end -}}\n{{- define "demo.guarded" -}}{{ include "imageguard.v1.image" (dict) }}{{- end -}}\n';
    const result = plan(
      chart({ 'templates/_helpers.tpl': helpers, 'templates/a.yaml': '  image: {{ include "demo.image" . }}\n  image: {{ include "demo.guarded" . }}\n' }),
      { rewrite: true },
    );
    expect(result.messages).toContain('demo/templates/a.yaml:1: not rewritten (includes "demo.image", which does not call the guard): image: {{ include "demo.image" . }}');
    expect(result.unrecognised).toBe(1);
  });
});

describe('--into', () => {
  const helpers = '{{- define "demo.name" -}}demo{{- end -}}\n';

  it('appends a delimited block, rewrites lines outside it, and changes nothing the second time', () => {
    const snapshot = chart({ 'templates/_helpers.tpl': helpers, 'templates/deployment.yaml': DEPLOYMENT });
    const first = plan(snapshot, { into: '_helpers.tpl', rewrite: true });
    const after = first.files.find((f) => f.rel === 'templates/_helpers.tpl')!.after;
    expect(after).toBe(`${helpers}\n${BLOCK_BEGIN}\n${shipped.text}${BLOCK_END}\n`);
    expect(first.files.find((f) => f.rel === 'templates/_helpers.tpl')!.diff).toContain(`+${BLOCK_BEGIN}`);
    expect(first.messages[0]).toBe('created an imageguard block in demo/templates/_helpers.tpl (guard helper v1)');
    expect(plan(written(snapshot, first), { into: '_helpers.tpl', rewrite: true }).files).toEqual([]);
  });

  it('upgrades an older block, refuses an edited one', () => {
    const withBlock = (helper: string) => chart({ 'templates/_helpers.tpl': `${helpers}${BLOCK_BEGIN}\n${helper}${BLOCK_END}\n# after\n` });
    const upgraded = plan(withBlock(olderHelper(0)), { into: 'templates/_helpers.tpl' });
    expect(upgraded.files[0]?.after).toBe(`${helpers}${BLOCK_BEGIN}\n${shipped.text}${BLOCK_END}\n# after\n`);
    expect(() => plan(withBlock(shipped.text.replace('Pin a version', 'Pin something')), { into: '_helpers.tpl' })).toThrow(/edited by hand/);
  });

  it.each([
    ['../x.tpl', /below the chart's templates/],
    ['helpers.tpl', /starting with _ and ending in \.tpl/],
    ['_helpers.yaml', /starting with _ and ending in \.tpl/],
    ['_imageguard.tpl', /default location/],
  ])('refuses --into %s', (into, message) => {
    expect(() => plan(chart({}), { into })).toThrow(message);
  });
});

describe('--library', () => {
  it('vendors the library chart, adds the dependency, and changes nothing the second time', () => {
    const snapshot = chart({ 'templates/deployment.yaml': DEPLOYMENT });
    const first = plan(snapshot, { library: true, rewrite: true });
    expect(first.files.map((f) => f.rel).sort()).toEqual([
      'Chart.yaml', 'charts/imageguard-lib/Chart.yaml', 'charts/imageguard-lib/templates/_imageguard.tpl', 'templates/deployment.yaml',
    ]);
    expect(first.files.find((f) => f.rel === 'Chart.yaml')?.after).toBe(`${CHART_YAML}dependencies:\n- name: imageguard-lib\n  version: 1.0.0\n`);
    expect(first.messages).toContain('added imageguard-lib 1.0.0 in demo/Chart.yaml dependencies');
    expect(plan(written(snapshot, first), { library: true, rewrite: true }).files).toEqual([]);
  });

  it('refuses an edited vendored helper or library Chart.yaml without --force', () => {
    const library = Object.fromEntries(shipped.library);
    expect(() => plan(chart({}, { ...library, 'templates/_imageguard.tpl': '{{/* mine */}}\n' }), { library: true })).toThrow(/edited by hand/);
    expect(() => plan(chart({}, { ...library, 'Chart.yaml': `${library['Chart.yaml']}# mine\n` }), { library: true })).toThrow(/edited by hand/);
    expect(plan(chart({}, { ...library, 'Chart.yaml': '# mine\n' }), { library: true, force: true }).files.map((f) => f.rel)).toContain('charts/imageguard-lib/Chart.yaml');
  });
});

describe('refusals', () => {
  it.each<[string, ChartSnapshot, Partial<InjectOptions>, RegExp]>([
    ['a second copy next to templates/_imageguard.tpl', chart({ 'templates/_imageguard.tpl': shipped.text }), { into: '_helpers.tpl' }, /already in demo\/templates\/_imageguard\.tpl/],
    ['a template copy when the library is vendored', chart({}, Object.fromEntries(shipped.library)), {}, /already in demo\/charts\/imageguard-lib\/.*--library/],
    ['--library with --into', chart({}), { library: true, into: '_helpers.tpl' }, /exclude each other/],
    ['an unparsable Chart.yaml', chart({ 'Chart.yaml': 'apiVersion: v2\nname: [demo\n' }), {}, /demo\/Chart\.yaml:\d+: invalid YAML/],
    ['a Chart.yaml without name', chart({ 'Chart.yaml': 'apiVersion: v2\nversion: 1.0.0\n' }), {}, /has no name/],
    ['an unparsable values.yaml', chart({ 'values.yaml': 'image: [\n' }), { rewrite: true }, /demo\/values\.yaml:\d+: invalid YAML/],
    ['a broken block', chart({ 'templates/_helpers.tpl': `${BLOCK_BEGIN}\nx\n` }), {}, /broken imageguard block/],
    [
      'a helper location .helmignore hides from helm',
      chart({ '.helmignore': '# partials\n_*.tpl\n' }),
      {},
      /^demo\/\.helmignore: helm ignores templates\/_imageguard\.tpl \(\.helmignore:2 "_\*\.tpl"\), so it would not load demo\/templates\/_imageguard\.tpl; change \.helmignore or put the helper elsewhere \(--into, --library\)$/,
    ],
    ['an --into file in an ignored directory', chart({ '.helmignore': 'templates/partials/\n' }), { into: 'partials/_helpers.tpl' }, /helm ignores templates\/partials\/ \(\.helmignore:1 "templates\/partials\/"\)/],
    ['a library chart .helmignore hides', chart({ '.helmignore': 'imageguard-lib\n' }), { library: true }, /helm ignores charts\/imageguard-lib\/ \(\.helmignore:1 "imageguard-lib"\)/],
    ['a ! rule that makes helm lose Chart.yaml', chart({ '.helmignore': '*.tgz\n!keep.tgz\n' }), {}, /helm ignores Chart\.yaml \(\.helmignore:2 "!keep\.tgz", and helm ignores every path a "!" rule does not match\), so it cannot load this chart/],
  ])('%s', (_name, snapshot, options, message) => {
    expect(() => plan(snapshot, options)).toThrow(UsageError);
    expect(() => plan(snapshot, options)).toThrow(message);
  });
});
