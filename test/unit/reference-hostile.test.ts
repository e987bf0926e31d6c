import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { classifyImage, isFloatingTag } from '../../src/image/classify.js';
import {
  matchesAnchoredName,
  matchesDomainAndPort,
  matchesIdentifier,
  matchReference,
  parse,
  parseAnyReference,
  parseDockerRef,
  parseNamed,
  parseNormalizedNamed,
  ReferenceParseError,
  splitAnchoredName,
  withDigest,
  withName,
  withTag,
} from '../../src/image/reference.js';

// Inputs shaped to make a backtracking regex of the reference grammar explode
// (nested `(sep alnum)*` inside `(/ component)*`, overlapping separators, a failing
// last character). A linear scanner handles 50,000 characters in well under a millisecond.
const generators: [string, (n: number) => string][] = [
  ["'a'*n + '!'", (n) => 'a'.repeat(n) + '!'],
  ["'a'*n", (n) => 'a'.repeat(n)],
  ["'A'*n", (n) => 'A'.repeat(n)],
  ["'a/'*n", (n) => 'a/'.repeat(n / 2)],
  ["'a/'*n + 'A'", (n) => 'a/'.repeat(n / 2) + 'A'],
  ["'a-'*n", (n) => 'a-'.repeat(n / 2)],
  ["'a-'*n + '!'", (n) => 'a-'.repeat(n / 2) + '!'],
  ["'a.'*n", (n) => 'a.'.repeat(n / 2)],
  ["'a_'*n", (n) => 'a_'.repeat(n / 2)],
  ["'a__'*n + '_'", (n) => 'a__'.repeat(n / 3) + '_'],
  ["'a' + '-'*n", (n) => 'a' + '-'.repeat(n)],
  ["'a.'*n + '/b'", (n) => 'a.'.repeat(n / 2) + '/b'],
  ["'a-a.'*n + ':1/x'", (n) => 'a-a.'.repeat(n / 4) + ':1/x'],
  ["':'*n", (n) => ':'.repeat(n)],
  ["'/'*n", (n) => '/'.repeat(n)],
  ["'@'*n", (n) => '@'.repeat(n)],
  ["'[' + ':'*n", (n) => '[' + ':'.repeat(n)],
  ["'[::1]:' + '1'*n + '/a'", (n) => '[::1]:' + '1'.repeat(n) + '/a'],
  ["'@sha256:' + 'f'*n", (n) => '@sha256:' + 'f'.repeat(n)],
  ["'a@sha256:' + 'f'*n", (n) => 'a@sha256:' + 'f'.repeat(n)],
  ["'sha256:' + 'f'*n", (n) => 'sha256:' + 'f'.repeat(n)],
  ["'a@' + 'a-'*n + ':' + 'f'*64", (n) => 'a@' + 'a-'.repeat(n / 2) + ':' + 'f'.repeat(64)],
  ["'a:' + 'b'*n", (n) => 'a:' + 'b'.repeat(n)],
  ["'a:' + 'b.'*n + '@x'", (n) => 'a:' + 'b.'.repeat(n / 2) + '@x'],
  ["'1.'*n", (n) => '1.'.repeat(n / 2)],
  ["'1-'*n + 'x'", (n) => '1-'.repeat(n / 2) + 'x'],
  ["'a/a'*n + ':t@sha256:' + hex", (n) => 'a/a'.repeat(n / 3) + ':t@sha256:' + 'f'.repeat(64)],
];

const fns: [string, (s: string) => unknown][] = [
  ['parse', (s) => parse(s)],
  ['parseNamed', (s) => parseNamed(s)],
  ['parseNormalizedNamed', (s) => parseNormalizedNamed(s)],
  ['parseAnyReference', (s) => parseAnyReference(s)],
  ['parseDockerRef', (s) => parseDockerRef(s)],
  ['withName', (s) => withName(s)],
  ['withTag', (s) => withTag(withName('a'), s)],
  ['withDigest', (s) => withDigest(withName('a'), s)],
  ['matchesAnchoredName', matchesAnchoredName],
  ['splitAnchoredName', splitAnchoredName],
  ['matchesDomainAndPort', matchesDomainAndPort],
  ['matchReference', matchReference],
  ['matchesIdentifier', matchesIdentifier],
  ['classifyImage', (s) => classifyImage(s)],
  ['isFloatingTag', isFloatingTag],
];

/** Calls fn; only ReferenceParseError may escape the parser. */
function call(fn: (s: string) => unknown, s: string): void {
  try {
    fn(s);
  } catch (e) {
    if (!(e instanceof ReferenceParseError)) throw e;
  }
}

/** Best of a few runs, in ms: the minimum filters out GC pauses and scheduler noise. */
function time(fn: (s: string) => unknown, s: string): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    call(fn, s);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

describe('hostile input runs in linear time', () => {
  it.each(generators)('%s', (_label, gen) => {
    const small = gen(5_000);
    const large = gen(50_000);
    expect(large.length).toBeGreaterThanOrEqual(49_990);
    const slow: string[] = [];
    for (const [name, fn] of fns) {
      call(fn, small); // warm-up (JIT)
      const tSmall = time(fn, small);
      const tLarge = time(fn, large);
      // Quadratic work is ~100x from 5k to 50k; linear is ~10x. The absolute bound only catches a hang: a loaded
      // CI machine can stretch one run well past 200 ms.
      if (tLarge >= 2000 || tLarge >= 30 * tSmall + 20) {
        slow.push(`${name}: ${tSmall.toFixed(2)} ms at 5k, ${tLarge.toFixed(2)} ms at 50k`);
      }
    }
    expect(slow).toEqual([]);
  });

  it('the shapes above parse or fail with the expected outcome', () => {
    expect(() => parse('a'.repeat(50_000) + '!')).toThrow('invalid reference format');
    expect(() => parse('a'.repeat(50_000))).toThrow('repository name must not be more than 255 characters');
    expect(() => parse('a/'.repeat(25_000) + 'A')).toThrow('repository name must be lowercase');
    expect(() => parse('@sha256:' + 'f'.repeat(50_000))).toThrow('invalid reference format');
    expect(() => parse('a@sha256:' + 'f'.repeat(50_000))).toThrow('invalid checksum digest length');
    expect(parse('a:b.' + 'c'.repeat(100))).toMatchObject({ path: 'a', tag: 'b.' + 'c'.repeat(100) });
    expect(classifyImage('a-'.repeat(25_000)).class).toBe('invalid');
    expect(matchesDomainAndPort('a.'.repeat(25_000) + 'a')).toBe(true);
    expect(splitAnchoredName('a/'.repeat(25_000) + 'a')).toMatchObject({ domain: 'a' });
  });
});
