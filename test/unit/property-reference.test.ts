/**
 * Issue 10, property tests of the reference parser (fast-check): whatever string it is given, every entry point
 * throws nothing but ReferenceParseError; and a reference that parses prints (referenceString) to a string that
 * parses to the same reference, so parse -> format -> parse is stable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  familiarString,
  parse,
  parseAnyReference,
  parseDockerRef,
  parseNamed,
  parseNormalizedNamed,
  ReferenceParseError,
  referenceString,
  withDigest,
  withName,
  withTag,
  type Reference,
} from '../../src/image/reference.js';

const RUNS = 2000;
const ALPHABET = 'abcAB09.-_:/@'.split('');
/** Strings near the grammar (its own characters), where the parser has the most decisions to make. */
const nearReference = fc.array(fc.constantFrom(...ALPHABET, 'sha256:', 'a'.repeat(64), 'localhost', 'docker.io/', 'library/'), { maxLength: 40 }).map((parts) => parts.join(''));
const anyInput = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 100 }), nearReference);

const component = fc.stringMatching(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/).filter((s) => s.length <= 40);
const domain = fc.oneof(
  fc.constant(''),
  fc.constantFrom('docker.io', 'localhost', 'registry.example.com', 'ghcr.io', '127.0.0.1', '[::1]'),
  fc.tuple(fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/), fc.stringMatching(/^[a-z]{2,6}$/)).map(([host, tld]) => `${host}.${tld}`),
).chain((host) => (host === '' ? fc.constant('') : fc.option(fc.integer({ min: 1, max: 65535 }), { nil: null }).map((port) => (port === null ? host : `${host}:${port}`))));
const tag = fc.stringMatching(/^[\w][\w.-]{0,127}$/);
const digest = fc.oneof(
  fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`),
  fc.stringMatching(/^[a-f0-9]{128}$/).map((hex) => `sha512:${hex}`),
);
/** References the grammar accepts, built from its parts. */
const validReference = fc
  .record({ domain, path: fc.array(component, { minLength: 1, maxLength: 4 }), tag: fc.option(tag, { nil: null }), digest: fc.option(digest, { nil: null }) })
  .map(({ domain: d, path, tag: t, digest: g }) => `${d === '' ? '' : `${d}/`}${path.join('/')}${t === null ? '' : `:${t}`}${g === null ? '' : `@${g}`}`);

function throwsOnlyTyped(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof ReferenceParseError)) throw new Error(`threw ${String(error)} (${(error as Error)?.constructor?.name})`);
  }
}

describe('reference parser (property)', () => {
  it('every entry point throws only ReferenceParseError, whatever the input', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        throwsOnlyTyped(() => parse(input));
        throwsOnlyTyped(() => parseNormalizedNamed(input));
        throwsOnlyTyped(() => parseNamed(input));
        throwsOnlyTyped(() => parseAnyReference(input));
        throwsOnlyTyped(() => parseDockerRef(input));
        throwsOnlyTyped(() => withName(input));
        const base: Reference = { domain: 'docker.io', path: 'library/nginx', tag: null, digest: null };
        throwsOnlyTyped(() => withTag(base, input));
        throwsOnlyTyped(() => withDigest(base, input));
      }),
      { numRuns: RUNS },
    );
  });

  it('non-strings are refused with the typed error too', () => {
    fc.assert(
      fc.property(fc.anything().filter((value) => typeof value !== 'string'), (value) => {
        throwsOnlyTyped(() => parse(value as string));
        throwsOnlyTyped(() => parseNormalizedNamed(value as string));
      }),
      { numRuns: 300 },
    );
  });

  it('parse -> referenceString -> parse is stable (any input that parses)', () => {
    fc.assert(
      fc.property(fc.oneof(anyInput, validReference), (input) => {
        for (const read of [parse, parseNormalizedNamed, parseDockerRef]) {
          let first: Reference;
          try {
            first = read(input);
          } catch {
            return;
          }
          const printed = referenceString(first);
          expect(read(printed)).toEqual(first);
          expect(referenceString(read(printed))).toBe(printed);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('references built from the grammar parse, and round-trip through both printed forms', () => {
    fc.assert(
      fc.property(validReference, (input) => {
        let ref: Reference;
        try {
          ref = parse(input);
        } catch (error) {
          // Only the length limit on the path may refuse a grammatical reference.
          expect((error as Error).message).toContain('must not be more than 255 characters');
          return;
        }
        expect(referenceString(ref)).toBe(input);
        let normal: Reference;
        try {
          normal = parseNormalizedNamed(input);
        } catch (error) {
          // docker.io's `library/` can push a path that fitted over the limit; nothing else may fail.
          expect((error as Error).message).toContain('must not be more than 255 characters');
          return;
        }
        // The familiar form drops docker.io: it reads back the same unless its first component then looks like a
        // host (`docker.io/a.b/c` -> `a.b/c`), an ambiguity distribution/reference's FamiliarString has too.
        const familiar = familiarString(normal);
        const first = familiar.split('/')[0]!;
        if (!(familiar.includes('/') && (/[.:]/.test(first) || first === 'localhost'))) expect(parseNormalizedNamed(familiar)).toEqual(normal);
        expect(parseNormalizedNamed(referenceString(normal))).toEqual(normal);
      }),
      { numRuns: RUNS },
    );
  });
});
