/**
 * validate's parts: ajv set up to judge as helm does (src/schema/ajv.ts), violations located at the values that
 * set them (violations.ts, helm-values.ts origins), and the --check diff (diff.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileValuesSchema } from '../../src/schema/ajv.js';
import { unifiedDiff } from '../../src/schema/diff.js';
import { violations } from '../../src/schema/violations.js';
import { loadHelmChart } from '../../src/values/helm-chart.js';
import { helmValues, valuesArguments } from '../../src/values/helm-values.js';
import { pathKey } from '../../src/values/types.js';
import { repoRoot } from '../helpers/helm.js';

const messages = (schema: object, values: unknown): string[] =>
  violations(compileValuesSchema(schema, 'values.schema.json'), values, [], new Map(), 'values.schema.json').map(
    (v) => `${v.path.join('.')}: ${v.message}`,
  );

describe('ajv as helm uses it', () => {
  const refWithSibling = {
    definitions: { str: { type: 'string' } },
    properties: { a: { $ref: '#/definitions/str', maxLength: 1 } },
  };

  it('ignores the siblings of $ref up to draft-07 (helm 3 and 4 do), applies them in 2020-12', () => {
    expect(messages({ $schema: 'http://json-schema.org/draft-07/schema#', ...refWithSibling }, { a: 'long' })).toEqual([]);
    expect(messages(refWithSibling, { a: 'long' })).toEqual([]);
    expect(messages({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...refWithSibling }, { a: 'long' })).toHaveLength(1);
  });

  it('reads draft-04 exclusive bounds, RE2 inline flags, ignores unknown keywords and formats', () => {
    const draft4 = { $schema: 'http://json-schema.org/draft-04/schema#', properties: { n: { type: 'integer', minimum: 1, exclusiveMinimum: true } } };
    expect(messages(draft4, { n: 1 })).toHaveLength(1);
    expect(messages(draft4, { n: 2 })).toEqual([]);
    expect(messages({ properties: { t: { pattern: '(?i)^abc$' } } }, { t: 'ABC' })).toEqual([]);
    expect(messages({ properties: { t: { pattern: '^[\\w-.]+$' } } }, { t: 'a-b.c' })).toEqual([]);
    expect(messages({ properties: { u: { type: 'string', format: 'uri', form: true, hidden: { value: false } } } }, { u: 'not a uri' })).toEqual([]);
  });

  it('explains the author\'s own constraints in ajv\'s words, at the right path', () => {
    const schema = {
      additionalProperties: false,
      properties: { mode: { enum: ['a', 'b'] }, image: { type: 'object', required: ['repository'] } },
    };
    expect(messages(schema, { mode: 'c', image: {}, extra: 1 })).toEqual([
      'extra: is not allowed here (additionalProperties)',
      'mode: "c" must be one of "a", "b"',
      "image.repository: must have required property 'repository'",
    ]);
  });
});

describe('where a value came from', () => {
  const chart = join(repoRoot, 'test', 'fixtures', 'charts', 'probe-values');
  const dir = mkdtempSync(join(tmpdir(), 'imageguard-schema-unit-'));
  writeFileSync(join(dir, 'prod.yaml'), '# production\nsub:\n  image:\n    tag: latest\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the -f file line, the --set piece, or the chart values.yaml line', () => {
    const result = helmValues(loadHelmChart(chart), ['-f', 'prod.yaml', '--set', 'keep=2,sub2.image.tag=x'], { dialect: 4, cwd: dir, readStdin: () => '' });
    const origin = (path: string) => result.origins.get(pathKey(path.split('.')));
    expect(origin('sub.image.tag')).toEqual({ file: 'prod.yaml', path: 'sub.image.tag', line: 4, column: 10 });
    expect(origin('sub2.image.tag')).toEqual({ file: '--set', path: 'sub2.image.tag', piece: 'sub2.image.tag=x' });
    expect(origin('keep')).toMatchObject({ file: '--set', piece: 'keep=2' });
    expect(origin('nest.a')).toEqual({ file: join(chart, 'values.yaml'), path: 'nest.a', line: 4, column: 6 });
    expect(origin('sub.image.repository')).toMatchObject({ file: join(chart, 'charts', 'sub', 'values.yaml'), line: 3 });
    expect(result.charts.map((c) => c.prefix.join('.'))).toEqual(['', 'loose', 'sub', 'sub2']);
  });

  it('reads -f lists and --values=, as helm splits them', () => {
    expect(valuesArguments(['-f', 'a.yaml,b.yaml', '--values=c.yaml', '-fd.yaml', '--set', 'x=1', '--set-json=y=2'])).toEqual([
      { flag: '-f', value: 'a.yaml' },
      { flag: '-f', value: 'b.yaml' },
      { flag: '-f', value: 'c.yaml' },
      { flag: '-f', value: 'd.yaml' },
      { flag: '--set', value: 'x=1' },
      { flag: '--set-json', value: 'y=2' },
    ]);
  });
});

describe('unifiedDiff', () => {
  it('shows only what changed, with context', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', ''].join('\n');
    const after = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h', 'i', ''].join('\n');
    expect(unifiedDiff(before, after, 'x.json')).toBe(
      ['--- a/x.json', '+++ b/x.json', '@@ -2,7 +2,8 @@', ' b', ' c', ' d', '-e', '+E', ' f', ' g', ' h', '+i', ''].join('\n'),
    );
    expect(unifiedDiff(before, before, 'x.json')).toBe('');
    expect(unifiedDiff('', 'new\n', 'y.json')).toBe('--- a/y.json\n+++ b/y.json\n@@ -0,0 +1,1 @@\n+new\n');
  });
});
