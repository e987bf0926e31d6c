/**
 * Issue 4: `--set`, `--set-string`, `--set-json`, `--set-literal`, `--set-file` and `-f` must mean to validate
 * exactly what they mean to helm. A probe chart (test/fixtures/charts/probe-values: two subcharts under one name
 * with an alias, a disabled one, globals, nulls, YAML 1.1 keys) renders `{{ toJson .Values }}` in the chart and in
 * every subchart; for each case helm's output must equal the values validate computes (src/values/helm-values.ts)
 * for the same flags, and where helm refuses the flags validate must refuse them too. Helm 3.17.3 and 4.1.4.
 * Nothing is masked: the probe renders nothing random.
 */
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { loadHelmChart } from '../../src/values/helm-chart.js';
import { helmValues } from '../../src/values/helm-values.js';
import { getIn } from '../../src/values/tree.js';
import { assertHelmBinaries, HELM_VERSIONS, repoRoot } from '../helpers/helm.js';

const probe = join(repoRoot, 'test', 'fixtures', 'charts', 'probe-values');
const work = mkdtempSync(join(tmpdir(), 'imageguard-set-diff-'));
const files: Record<string, string> = {
  'list.yaml': 'fl: [1, 2, 3]\nm: {x: 1}\nnest: {a: ~}\n',
  'later.yaml': 'm: {y: 2}\nfl: [7]\nyes: on\noct: 0o17\nt: 1:20\nd: 2024-01-01\nnum: 1_000\n',
  'multi.yaml': 'a: 1\n---\nb: 2\n',
  'empty.yaml': '# nothing\n',
  'top-list.yaml': '- 1\n',
  'sub-null.yaml': 'sub:\n  image: ~\nglobal:\n  shared: ~\n',
  'content.txt': 'file-content\nline 2',
};
for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CASES: string[][] = [
  [],
  ['--set', 'a=b,c=1,d=1.5,e=010,f=TRUE,g=Null,h=+5,i=-0,j=9223372036854775807,k=9223372036854775808,l=1e3,m=0'],
  ['--set', 'a\\.b=c,x=b\\,c,y\\=z=1,w=x\\\\y'],
  ['--set', 'v=x\\'],
  ['--set', 'a={x,y},b={1,true,null},c={},e={x},f=1'],
  ['--set', 'a={x}y'],
  ['--set', 'a={x,y'],
  ['--set', 'a[0]=x'],
  ['--set', 'a[2]=x'],
  ['--set', 'a[0].b=c,a[0].d=e'],
  ['--set', 'a[0][1]=x'],
  ['--set', 'a[0]=x,a[1]=y'],
  ['--set', 'a[1].b=c,a[0]=x'],
  ['--set', 'a[-1]=x'],
  ['--set', 'a[x]=1'],
  ['--set', 'b=1,a[0'],
  ['--set', 'a[1][0'],
  ['--set', 'a[0]x=1'],
  ['--set', 'a[65537]=1'],
  ['--set', 'a[0].b='],
  ['--set', 'a.b.c=d'],
  ['--set', 'a=1,a.b=2'],
  ['--set', 'a..b=1'],
  ['--set', '.a=1'],
  ['--set', 'a.=1'],
  ['--set', 'a.'],
  ['--set', '=x'],
  ['--set', 'a'],
  ['--set', 'a,b=1'],
  ['--set', 'a='],
  ['--set', 'a=,b=1'],
  ['--set', 'a=b=c'],
  ['--set', 'nest.a=null,gone=null,new=null,lst[3]=x'],
  ['--set', 'nest=null'],
  ['--set', 'nest.deep.x=1,nest.deep.z=null'],
  ['--set', 'lst[1]=z'],
  ['--set', 'keep=null', '--set', 'keep=3'],
  ['--set', 'dormant.enabled=true'],
  ['--set', 'dormant.enabled=true,sub.enabled=false'],
  ['--set', 'sub.enabled=false'],
  ['--set', 'tags.extra=false'],
  ['--set', 'tags.extra=true,sub.enabled=false'],
  ['--set', 'global.shared=cli,global.map.inner.z=1,global.new=1'],
  ['--set', 'sub.global.own=y,sub.global.shared=mine'],
  ['--set', 'sub.image.tag=x,sub2.list[0]=z'],
  ['--set', 'loose.gone=1,loose.num=null'],
  ['--set', 'sub=null'],
  ['--set', 'sub.image.tag=null,sub2.image=null,sub.list=null'],
  ['--set', 'global=null'],
  ['--set', 'global.map=null,sub.global.map.c=null'],
  ['--set', 'sub=str'],
  ['-f', 'list.yaml', '--set', 'fl[1]=x,m.z=3'],
  ['-f', 'list.yaml', '-f', 'later.yaml'],
  ['-f', 'list.yaml,later.yaml', '--set', 'nest=null'],
  ['--values=later.yaml'],
  ['-f', 'multi.yaml'],
  ['-f', 'empty.yaml'],
  ['-f', 'top-list.yaml'],
  ['-f', 'missing.yaml'],
  ['-f', 'sub-null.yaml'],
  ['--set-string', 'a=1,b=true,c={1,2},d=null,e=010'],
  ['--set-json', 'a=1'],
  ['--set-json', 'a={"b":[1,2]}'],
  ['--set-json', 'a=[1,{"x":null}]'],
  ['--set-json', 'a="s",b=2'],
  ['--set-json', 'a='],
  ['--set-json', 'a= ,b=1'],
  ['--set-json', 'a=tru'],
  ['--set-json', '{"a":1,"nest":{"c":2}}'],
  ['--set-json', 'a[0]={"x":1}'],
  ['--set-json', 'a=1x'],
  ['--set-json', 'nest={"c":null}'],
  ['--set-literal', 'a=b,c=d'],
  ['--set-literal', 'a.b=x\\y'],
  ['--set-literal', 'a[0]=v,w'],
  ['--set-literal', 'a\\.b=1'],
  ['--set-file', 'a=content.txt'],
  ['--set-file', 'a=missing.txt'],
  ['--set', 'a=1', '--set-string', 'a=2'],
  ['--set-string', 'a=x', '--set', 'a=1'],
  ['--set-json', 'a=1', '--set', 'a=2'],
  ['--set-literal', 'a=L', '--set', 'a=1'],
  ['--set-file', 'a=content.txt', '--set-literal', 'a=L'],
  ['-f', 'list.yaml', '--set-json', 'fl=[9]', '--set', 'fl[2]=8'],
];

/** `.Values` of the chart and of each rendered subchart, by `# Source:` path. */
function renderedValues(stdout: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const doc of stdout.split(/^---$/m)) {
    const source = /^# Source: (\S+)$/m.exec(doc)?.[1];
    const json = doc.split('\n').find((line) => line.startsWith('{'));
    if (source && json) out.set(source, JSON.parse(json));
  }
  return out;
}

beforeAll(() => assertHelmBinaries());

for (const helm of HELM_VERSIONS) {
  describe(`validate reads values flags as helm ${helm.version} does`, () => {
    it.concurrent.each(CASES.map((args) => [args.join(' ') || '(no flags)', args] as const))('%s', async (_name, args) => {
      const rendered = await execa(helm.bin, ['template', 'x', probe, ...args], { cwd: work, reject: false, stdin: 'ignore' });
      let ours: ReturnType<typeof helmValues> | null = null;
      let error: unknown = null;
      try {
        ours = helmValues(loadHelmChart(probe), args, { dialect: helm.major, cwd: work, readStdin: () => '' });
      } catch (caught) {
        error = caught;
      }
      if (rendered.exitCode !== 0) {
        expect(String(rendered.stderr)).toMatch(/^Error: /m);
        expect(error, `helm refused: ${String(rendered.stderr).split('\n')[0]}`).toBeInstanceOf(UsageError);
        return;
      }
      expect(error).toBeNull();
      const values = renderedValues(String(rendered.stdout));
      expect(ours!.values).toEqual(values.get('probe/templates/values.yaml'));
      // Every subchart helm rendered gets its part of the values, and no other subchart is enabled.
      const subcharts = [...values.keys()].filter((source) => source.startsWith('probe/charts/')).map((source) => source.split('/')[2]!);
      expect(ours!.charts.slice(1).map((chart) => chart.prefix.join('.')).sort()).toEqual(subcharts.sort());
      for (const name of subcharts) expect(getIn(ours!.values, [name]), name).toEqual(values.get(`probe/charts/${name}/templates/values.yaml`));
    });
  });
}
