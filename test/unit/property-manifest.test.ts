/**
 * Issue 10, property tests of the manifest parser (fast-check): on any text — YAML streams built from random values,
 * the same streams damaged at random, and arbitrary strings — parseManifestStream returns documents or throws
 * ManifestParseError, nothing else (no RangeError, no TypeError, no hang). On undamaged streams it returns every
 * document, with the value the YAML library reads for it.
 */
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ManifestParseError, parseManifestStream } from '../../src/manifest/parse.js';
import type { ManifestDocument } from '../../src/manifest/types.js';

const RUNS = 800;
const key = fc.oneof(fc.constantFrom('apiVersion', 'kind', 'metadata', 'spec', 'containers', 'image', 'name', '- a', 'on', 'null', '1.10', '? x'), fc.string({ maxLength: 12 }));
const scalar = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constantFrom('latest', 'nginx:1.25', '---', '...', '- x', '*a', '&a', '{', '"'));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
}));
const document = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 });
const stringifyOptions = fc.record({
  indent: fc.integer({ min: 1, max: 6 }),
  flow: fc.boolean(),
  quote: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL') as fc.Arbitrary<'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL'>,
});

/** A `helm template`-like stream: each document after `---` and a `# Source:` comment. */
const stream = fc.tuple(fc.array(document, { minLength: 1, maxLength: 4 }), stringifyOptions).map(([docs, options]) => ({
  docs,
  text: docs
    .map((doc, i) => {
      const body = stringify(doc, {
        indent: options.indent,
        collectionStyle: options.flow ? 'flow' : 'any',
        defaultStringType: options.quote,
        defaultKeyType: 'PLAIN',
        lineWidth: 0,
      });
      return `---\n# Source: chart/templates/t${i}.yaml\n${body}`;
    })
    .join(''),
}));

const YAML_NOISE = ['-', ':', '?', '[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '\t', '\n', ' ', '---\n', '...\n', '\u0000', '\uFEFF', '\uD800'];
/** The stream with a slice cut out and noise put in at random places. */
const damaged = stream.chain(({ text }) =>
  fc
    .array(fc.tuple(fc.nat({ max: Math.max(0, text.length) }), fc.nat({ max: 8 }), fc.constantFrom(...YAML_NOISE)), { minLength: 1, maxLength: 5 })
    .map((edits) => edits.reduce((out, [at, cut, noise]) => out.slice(0, at) + noise + out.slice(at + cut), text)),
);

function parseOrTypedError(text: string): ManifestDocument[] | ManifestParseError {
  try {
    const docs = parseManifestStream(text);
    expect(Array.isArray(docs)).toBe(true);
    for (const doc of docs) {
      // Asking for positions must not throw either, whatever the document holds.
      expect([null, 'number']).toContain(doc.lineOf(['spec', 'containers', 0, 'image']) === null ? null : typeof doc.lineOf(['spec']));
      expect(typeof doc.startLine).toBe('number');
    }
    return docs;
  } catch (error) {
    if (error instanceof ManifestParseError) return error;
    throw new Error(`threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
  }
}

/** What a JSON round trip of the YAML value gives (no -0, no undefined): the form the parser's objects compare in. */
const plain = (input: unknown): unknown => JSON.parse(JSON.stringify(input)) as unknown;

describe('manifest parser (property)', () => {
  it('valid streams: every document, with the value the YAML library reads', () => {
    fc.assert(
      fc.property(stream, ({ docs, text }) => {
        const result = parseOrTypedError(text);
        expect(result).not.toBeInstanceOf(ManifestParseError);
        const parsed = result as ManifestDocument[];
        // The oracle is the YAML library reading the whole stream (its stringify does not always round-trip
        // whitespace-only block scalars, so the values written are not the oracle).
        const expected = parseAllDocuments(text, { uniqueKeys: false }) as unknown as { toJS(): unknown }[];
        expect(parsed.map((doc) => plain(doc.object))).toEqual(expected.map((doc) => plain(doc.toJS() ?? null)));
        expect(parsed).toHaveLength(docs.length);
        expect(parsed.map((doc) => doc.template)).toEqual(docs.map((_doc, i) => `chart/templates/t${i}.yaml`));
      }),
      { numRuns: RUNS },
    );
  });

  it('damaged streams: documents or ManifestParseError, nothing else', () => {
    fc.assert(fc.property(damaged, (text) => void parseOrTypedError(text)), { numRuns: RUNS });
  });

  it('arbitrary text: documents or ManifestParseError, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fc.constantFrom(...YAML_NOISE, 'a', 'b: c', '\n  ')).map((parts) => parts.join(''))), (text) => void parseOrTypedError(text)),
      { numRuns: RUNS * 2 },
    );
  });

  it('hostile shapes stay typed errors: alias bombs and deep nesting', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');
    for (const text of [bomb, `a: ${'['.repeat(5000)}${']'.repeat(5000)}`, `${'- '.repeat(3000)}x`]) {
      const result = parseOrTypedError(text);
      if (!(result instanceof ManifestParseError)) expect(Array.isArray(result)).toBe(true);
    }
  });
});
