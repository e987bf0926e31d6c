// The line scanner (src/values/positions.ts) must give exactly the origins of the full parse (load.ts), or give up.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainKeyResolver } from '../../src/values/fast-values.js';
import { parseValuesFully, valuesSchemaOptions } from '../../src/values/load.js';
import { scanPositions } from '../../src/values/positions.js';
import type { ValueOrigin } from '../../src/values/types.js';
import { sharedDir } from '../helpers/helm.js';
import { allValuesFiles } from '../helpers/values-files.js';

const helmKeys = plainKeyResolver(valuesSchemaOptions({ helmTypes: true }));

const sorted = (map: Map<string, ValueOrigin>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The scanner's origins next to the full parse's; null when the scanner gives up (or the text is not YAML). */
function compare(text: string): { scanned: ReturnType<typeof sorted>; full: ReturnType<typeof sorted> } | null {
  let full;
  try {
    full = parseValuesFully(text, 'v.yaml', { helmTypes: true }).origins;
  } catch {
    return null;
  }
  const scanned = scanPositions(text, 'v.yaml', helmKeys);
  return scanned ? { scanned: sorted(scanned), full: sorted(full) } : null;
}

describe('values positions by line scanner', () => {
  it('match the full parse on every corpus and fixture values file it reads, and it reads the corpus charts', () => {
    const files = allValuesFiles();
    let scanned = 0;
    for (const file of files) {
      const result = compare(readFileSync(file, 'utf8'));
      if (!result) continue;
      scanned++;
      expect(result.scanned, file).toEqual(result.full);
    }
    for (const chart of ['cert-manager', 'grafana', 'ingress-nginx', 'nginx', 'podinfo', 'helm-create', 'metrics-server', 'external-dns']) {
      expect(compare(readFileSync(join(sharedDir, 'corpus', chart, 'values.yaml'), 'utf8')), chart).not.toBeNull();
    }
    expect(scanned).toBeGreaterThan(10);
  });

  it.each([
    ['nested mappings and an empty value', 'a:\n  b: 1\n  c:\nd: x\n'],
    ['a sequence at its key\'s indentation, then a key', 'list:\n- a\n- k: v\n  m: n\nnext: 1\n'],
    ['empty entries and nested blocks in a sequence', 'l:\n  -\n  - \n    x: 1\n  -\n    - y\n'],
    ['block scalars with comments-looking lines', 'a: |\n  # not a comment\n  text\n\nb: >-\n  folded\nc: 1\n'],
    ['flow collections', 'f: {a: 1, "b c": [x, \'y\', {z: 2}], d: []}\ng: [ ]\n'],
    ['quoted keys and values, comments', '"a.b": "x # y"  # c\n\'it\'\'s\': \'v\'\n# end\n'],
    ['keys helm reads as other types', 'yes: 1\n1.10: a\n010: b\n'],
    ['a duplicated key', 'a:\n  x: 1\na: 2\n'],
  ])('%s', (_name, text) => {
    const result = compare(text);
    expect(result).not.toBeNull();
    expect(result!.scanned).toEqual(result!.full);
  });

  it.each([
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a flow collection over lines', 'a: [1,\n  2]\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['an escape in a quoted key', '"a\\tb": 1\n'],
    ['CR line ends', 'a: 1\r\nb: 2\r\n'],
    ['a scalar document', 'hello\n'],
  ])('gives up on %s', (_name, text) => {
    expect(scanPositions(text, 'v.yaml', helmKeys)).toBeNull();
  });

  it('matches the full parse on generated block YAML whenever it reads it (fast-check)', () => {
    const scalar = fc.constantFrom('x', 'a b', 'yes', '1.10', '"q # r"', "'s'", '|\n  block', '>\n  folded\n\n  more', '{}', '[]', '{a: 1, b: [2, c]}', '[x, "y z"]', '~', '');
    const key = fc.constantFrom('a', 'b-c', '"d.e"', 'yes', '1.10', 'k_1');
    const node: fc.Arbitrary<string> = fc.letrec((tie) => ({
      leaf: scalar.map((s) => (s === '' ? '' : ` ${s}`)),
      list: fc.array(tie('node') as fc.Arbitrary<string>, { minLength: 1, maxLength: 3 }).map((items) => items.map((item) => `\n-${item.replace(/\n/g, '\n  ')}`).join('')),
      map: fc.array(fc.tuple(key, tie('node') as fc.Arbitrary<string>, fc.boolean()), { minLength: 1, maxLength: 4 }).map((pairs) =>
        pairs.map(([k, v, comment]) => `\n${k}:${v.replace(/\n/g, '\n  ')}${comment ? '\n# note' : ''}`).join(''),
      ),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf') as fc.Arbitrary<string>, tie('map') as fc.Arbitrary<string>, tie('list') as fc.Arbitrary<string>),
    })).map;
    let read = 0;
    fc.assert(
      fc.property(node, (body) => {
        const result = compare(`${body.trimStart()}\n`);
        if (!result) return;
        read++;
        expect(result.scanned).toEqual(result.full);
      }),
      { numRuns: 400 },
    );
    expect(read).toBeGreaterThan(200);
  });
});

describe('values nested deeper than the stack', () => {
  it('leave the scanner without a crash (the full parse decides)', () => {
    const depth = 20_000;
    const text = Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' v\n';
    expect(() => scanPositions(text, 'v.yaml', helmKeys)).not.toThrow();
  });
});
