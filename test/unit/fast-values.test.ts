// The fast values reader (js-yaml + the yaml package's scalar tags) must build exactly the tree of the full,
// position-keeping parse, and read exactly the texts the full parse reads.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseValues, parseValuesFully, valuesSchemaOptions, type ValuesParseOptions } from '../../src/values/load.js';
import { fastValuesTree } from '../../src/values/fast-values.js';
import { sharedDir } from '../helpers/helm.js';
import { allValuesFiles } from '../helpers/values-files.js';

const DIALECTS: [string, ValuesParseOptions][] = [
  ['helm (YAML 1.1)', { helmTypes: true }],
  ['YAML 1.2 core', {}],
];

const corpusFiles = allValuesFiles();

/** Both readings of a text: the tree of parseValues (fast when it can be) and of the full parse, and which path ran. */
function both(text: string, options: ValuesParseOptions) {
  const quick = parseValues(text, 'v.yaml', options);
  const full = parseValuesFully(text, 'v.yaml', options);
  // The fast path ran when js-yaml read the text; parseValues may still have needed the full parse for positions.
  const fast = fastValuesTree(text, valuesSchemaOptions(options)) !== null;
  return { quick: quick.tree, full: full.tree, fast, origins: { quick: quick.origins, full: full.origins } };
}

describe.each(DIALECTS)('fast values reader, %s', (_name, options) => {
  it('reads every corpus and fixture values file as the full parse does, and the corpus charts take the fast path', () => {
    expect(corpusFiles.length).toBeGreaterThan(10);
    for (const file of corpusFiles) {
      const text = readFileSync(file, 'utf8');
      let result;
      try {
        result = both(text, options);
      } catch {
        expect(() => parseValuesFully(text, file, options), file).toThrow(); // invalid on purpose: both refuse
        continue;
      }
      expect(result.quick, file).toEqual(result.full);
      if (file.startsWith(join(sharedDir, 'corpus')) && !file.includes('_variants')) expect(result.fast, file).toBe(true);
    }
  });

  it.each([
    'yes', 'Yes', 'YES', 'no', 'on', 'Off', 'y', 'n', 'true', 'False', '~', 'null', 'Null', 'NULL', '010', '0o17', '0x1F', '0b101',
    '1_000', '1.10', '1.', '.5', '-.5', '+12', '12e3', '1e3', '6.02e+23', '.inf', '-.Inf', '.nan', '.NaN', '1:20', '1:20.5', '2024-01-01',
    '2024-01-01T10:00:00Z', '0.1.2', 'v1.2', '1.27', '16', '00', '-0', '0x', '12e', 'latest', 'sha256:abc', 'http://x/y',
    '"yes"', "'010'", '"1.10"', '|\n  block\n  text', '>\n  folded\n  text\n', '[1, yes, "a", 1.10]', '{a: 1, b: on}', '',
  ])('scalar %j means the same to both readers, as a value and as a key', (scalar) => {
    const value = both(`key: ${scalar}\nlist:\n  - ${scalar.replace(/\n/g, '\n  ')}\n`, options);
    expect(value.quick).toEqual(value.full);
    if (!/[\n:[{"']/.test(scalar) && scalar !== '') {
      const key = both(`${scalar}: v\n`, options);
      expect(key.quick).toEqual(key.full);
    }
  });

  it('takes the full parse for anchors, tags, merge keys, documents and null keys, and agrees there too', () => {
    const cases = ['a: &x 1\nb: *x\n', 'a: !!str 010\n', 'base: &b {x: 1}\nc:\n  <<: *b\n', "---\na: 1\n", '~: x\n', 'null: x\n', '? [a]\n: b\n', '%YAML 1.1\n---\na: 1\n'];
    for (const text of cases) {
      const result = both(text, options);
      expect(result.fast, text).toBe(false);
      expect(result.quick, text).toEqual(result.full);
    }
  });

  it('agrees on generated values (fast-check)', () => {
    const token = fc.constantFrom('yes', 'on', 'Off', '010', '0o7', '0x1f', '1_0', '1.10', '1.', '.inf', '.nan', '1e3', '1:20', 'a b', 'x', '2024-01-01', '~', 'null', 'true', '"q"', "'s'", '-1', '+1', '0');
    const key = fc.constantFrom('a', 'b', 'yes', '1', '1.10', 'on', 'x-y', 'k_z', 'true');
    const node: fc.Arbitrary<string> = fc.letrec((tie) => ({
      leaf: token.map((t) => ` ${t}`),
      list: fc.array(tie('node') as fc.Arbitrary<string>, { minLength: 1, maxLength: 3 }).map((items) => items.map((item) => `\n-${item.replace(/\n/g, '\n  ')}`).join('')),
      map: fc.array(fc.tuple(key, tie('node') as fc.Arbitrary<string>), { minLength: 1, maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `\n${k}:${v.replace(/\n/g, '\n  ')}`).join('')),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf') as fc.Arbitrary<string>, tie('map') as fc.Arbitrary<string>, tie('list') as fc.Arbitrary<string>),
    })).map;
    fc.assert(
      fc.property(node, (body) => {
        const text = `${body.trimStart()}\n`;
        let full: unknown;
        try {
          full = parseValuesFully(text, 'v.yaml', options).tree;
        } catch {
          return; // not valid YAML: the fast reader's answer does not matter, the full parse reports it
        }
        expect(parseValues(text, 'v.yaml', options).tree).toEqual(full);
      }),
      { numRuns: 300 },
    );
  });
});

describe('text js-yaml would take but the yaml package refuses', () => {
  it.each([
    ['a comment glued to a quoted scalar', 'a: "x"#c\n'],
    ['a tab before a value', "a: \t'y'#e\n"],
    ['a tab as indentation', 'a:\n\tb: 1\n'],
  ])('%s is still invalid YAML', (_name, text) => {
    expect(() => parseValues(text, 'v.yaml', { helmTypes: true })).toThrow(/v\.yaml:\d+: invalid YAML/);
  });
});

describe('the fast path on token soup (fast-check)', () => {
  it('accepts exactly what the full parse accepts, with the same tree', () => {
    const piece = fc.constantFrom('a:', ' b', ': ', '1', '\n', '  ', '- ', '"x"', "'y'", '{', '}', '[', ']', ',', 'c: d', '#', '|', '>', '\t', 'e', ' : ', '"', "'", '\\', 'é', ' #c');
    fc.assert(
      fc.property(fc.array(piece, { minLength: 2, maxLength: 10 }), (pieces) => {
        const text = pieces.join('');
        let full: unknown;
        try {
          full = parseValuesFully(text, 'v.yaml', { helmTypes: true }).tree;
        } catch {
          expect(() => parseValues(text, 'v.yaml', { helmTypes: true })).toThrow();
          return;
        }
        expect(parseValues(text, 'v.yaml', { helmTypes: true }).tree).toEqual(full);
      }),
      { numRuns: 3000 },
    );
  });
});
