/**
 * inject honours .helmignore exactly as helm does. Differential: for each .helmignore below, the templates inject
 * reads (loadChart) are the templates Helm 3.17.3 and 4.1.4 render (`# Source:` lines), on one tree of files with
 * dot files, nested directories and look-alike names; a .helmignore helm refuses (`**`, a bad pattern) is refused by
 * inject too. Then through the built CLI: an ignored template is neither rewritten nor reported, and a helper
 * location .helmignore hides is refused with nothing written.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { shippedHelper } from '../../src/inject/assets.js';
import { loadChart } from '../../src/inject/load.js';
import { planInject } from '../../src/inject/plan.js';
import type { Plan } from '../../src/inject/types.js';
import { runCli } from '../helpers/cli.js';
import { assertHelmBinaries, HELM_VERSIONS } from '../helpers/helm.js';
import { copyCorpusChart, removeTemp, runHelm, tempDir } from '../helpers/inject.js';
import { snapshot } from '../helpers/robustness.js';

const TEMPLATES = [
  'a.yaml',
  'b.yml',
  'old-a.yaml',
  '.dot.yaml',
  'tests/test-connection.yaml',
  'tests/deep/t.yaml',
  'sub/s.yaml',
  'sub/.dot.yaml',
  'sub/tests.yaml',
  'sub/old-a.yaml',
  'notes/n.yaml',
  'x[1].yaml',
  'crds-like/c.yaml',
];

/** .helmignore contents; the ones helm refuses name its error. */
const IGNORES: { name: string; text: string; refused?: RegExp }[] = [
  { name: 'none', text: '' },
  { name: 'helm create default', text: '.DS_Store\n.git/\n*.swp\n*.bak\n*.tmp\n*.orig\n*~\n.project\n.idea/\n*.tmproj\n.vscode/\n' },
  { name: 'a directory rule (grafana)', text: 'ci/\ntests/\n*.gotmpl\n' },
  { name: 'a base name at any depth', text: 'old-a.yaml\n' },
  { name: 'a path from the root', text: 'templates/old-a.yaml\n/templates/sub/s.yaml\n' },
  { name: 'a path glob', text: 'templates/*.yml\ntemplates/sub/*\n' },
  { name: 'a name that is a directory and a file', text: 'tests\nnotes/\n' },
  { name: 'classes, ? and escapes', text: '[ab].y?ml\nx\\[1\\].yaml\n?rds-like\n' },
  { name: 'comments, blank lines, CRLF and a BOM', text: '\ufeff# ignore tests\r\n\r\n   tests/   \r\n#a.yaml\r\n' },
  { name: 'a ! rule that matches every name', text: '*.yml\n!*\n' },
  { name: 'a ! rule drops what it does not match (templates/ itself)', text: '!*.yaml\n' },
  { name: 'a ! rule after its positive rule', text: '*.gotmpl\n!keep.gotmpl\n', refused: /ignores Chart\.yaml/ },
  { name: '** (helm refuses)', text: 'templates/**/t.yaml\n', refused: /"\*\*"/ },
  { name: 'a bad pattern (helm refuses)', text: 'templates/[a\n', refused: /not a valid pattern/ },
];

let dir = '';
beforeAll(() => {
  assertHelmBinaries();
  dir = tempDir();
});
afterAll(() => removeTemp(dir));

function makeChart(name: string, helmignore: string): string {
  const chart = join(dir, name.replace(/\W+/g, '-'));
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 1.0.0\n');
  writeFileSync(join(chart, '.helmignore'), helmignore);
  TEMPLATES.forEach((rel, i) => {
    const path = join(chart, 'templates', rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n`);
  });
  return chart;
}

describe('inject reads the templates helm renders', () => {
  it.each(IGNORES)('$name', async ({ name, text, refused }) => {
    const chart = makeChart(name, text);
    const rendered = await Promise.all(HELM_VERSIONS.map((helm) => runHelm(helm.bin, ['template', 'x', chart])));
    if (refused) {
      for (const run of rendered) expect(run.exitCode, run.stdout).not.toBe(0);
      expect(() => inject(chart)).toThrow(UsageError);
      expect(() => inject(chart)).toThrow(refused);
      return;
    }
    const read = [...loadChart(chart).snapshot.templates.keys()].map((rel) => `c/${rel}`).sort();
    for (const [i, run] of rendered.entries()) {
      expect(run.exitCode, `helm ${HELM_VERSIONS[i]!.version}: ${run.stderr}`).toBe(0);
      const sources = [...run.stdout.matchAll(/^# Source: (.+)$/gm)].map((m) => m[1]!).sort();
      expect(read, `helm ${HELM_VERSIONS[i]!.version}`).toEqual(sources);
    }
  });
});

/** What `imageguard inject --rewrite` would do, in-process: its refusals are UsageErrors. */
function inject(chart: string): Plan {
  return planInject(loadChart(chart).snapshot, shippedHelper(), { library: false, rewrite: true, force: false });
}

describe('inject --rewrite on a chart with .helmignore (built CLI)', () => {
  it('neither rewrites nor reports an ignored template, and says it skipped it', async () => {
    const chart = copyCorpusChart('helm-create', dir, 'create-ignoring-tests');
    writeFileSync(join(chart, '.helmignore'), `${readFileSync(join(chart, '.helmignore'), 'utf8')}tests/\n`);
    const test = readFileSync(join(chart, 'templates', 'tests', 'test-connection.yaml'), 'utf8');
    const result = await runCli(['inject', chart, '--rewrite']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`skipped ${chart}/templates/tests/ (helm does not load it: .helmignore:24 "tests/")`);
    expect(result.stderr).not.toContain('test-connection.yaml');
    expect(result.stderr).toContain('1 image expression(s) rewritten, 0 image line(s) not recognised');
    expect(readFileSync(join(chart, 'templates', 'tests', 'test-connection.yaml'), 'utf8')).toBe(test);
    for (const helm of HELM_VERSIONS) {
      const render = await runHelm(helm.bin, ['template', 'x', chart, '--set', 'image.tag=latest']);
      expect(render.stderr, helm.version).toContain('imageguard: .Values.image.tag is "latest", a mutable tag.');
    }
  });

  it('refuses a helper location helm would not load, writing nothing', async () => {
    const chart = copyCorpusChart('helm-create', dir, 'create-ignoring-partials');
    writeFileSync(join(chart, '.helmignore'), '_*.tpl\n');
    const before = snapshot(chart);
    const result = await runCli(['inject', chart, '--rewrite']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe(
      `imageguard: ${chart}/.helmignore: helm ignores templates/_imageguard.tpl (.helmignore:1 "_*.tpl"), so it would not load ` +
        `${chart}/templates/_imageguard.tpl; change .helmignore or put the helper elsewhere (--into, --library)`,
    );
    expect(snapshot(chart)).toEqual(before);
  });
});
