import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  familiarName,
  familiarString,
  isDigestOnly,
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
  referenceName,
  referenceString,
  splitAnchoredName,
  withDigest,
  withName,
  withTag,
  type AnyReference,
  type ParseOptions,
} from '../../src/image/reference.js';

// The vectors come from distribution/reference's own Go tests (read-only, shared; never copied here).
interface Expectation {
  valid: boolean;
  error?: string;
  name?: string;
  domain?: string;
  path?: string;
  tag?: string;
  digest?: string;
  normalized?: string;
  familiar?: string;
  familiarString?: string;
  digestOnly?: boolean;
}
interface Vector extends Expectation {
  input: string;
  fn: string;
  source: string;
  asserted: string[];
  ctorArgs?: { name: string; tag: string; digest: string };
  behaviourChangedInNew?: boolean;
  newBehaviour?: Expectation;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const vectorsFile = path.resolve(repoRoot, '../shared/conformance/reference-vectors.json');
const vectors = JSON.parse(readFileSync(vectorsFile, 'utf8')) as Vector[];

// Go's test binary links only crypto/sha256, so sha384/sha512 digests are "unsupported" there.
const GO_TEST_OPTS: ParseOptions = { digestAlgorithms: ['sha256'] };

/** Vectors not run at all. */
const SKIPPED_FNS: Readonly<Record<string, string>> = {
  'regexp:shortIdentifier (v2.8.2 only)':
    'v0.6 removed ShortIdentifierRegexp (short IDs are an engine concern, not part of the reference grammar)',
};

/** Vectors run, but whose expected error text is not v0.6's. Keyed by `fn source`. */
const ERROR_TEXT_OVERRIDES: Readonly<Record<string, { error: string; reason: string }>> = {
  'WithName docker/distribution@v2.8.2:reference/reference_test.go:261': {
    error: 'invalid reference format',
    reason:
      'v2.8.2 checked the 255-char limit on the whole input before matching; v0.6 matches the name first ' +
      'and limits only the path, so "a/.../a:tag" (not a name: it has a tag) is rejected by the match',
  },
};

const FIELDS = ['name', 'domain', 'path', 'tag', 'digest', 'normalized', 'familiar', 'familiarString'] as const;
type Field = (typeof FIELDS)[number];
type Outcome = { valid: true; fields: Partial<Record<Field, string>>; digestOnly?: true } | { valid: false; error: string };

function describeRef(ref: AnyReference): Outcome {
  if (isDigestOnly(ref)) {
    return { valid: true, digestOnly: true, fields: { digest: ref.digest, normalized: ref.digest, familiarString: familiarString(ref) } };
  }
  const fields = {
    name: referenceName(ref),
    domain: ref.domain,
    path: ref.path,
    tag: ref.tag ?? '',
    digest: ref.digest ?? '',
    normalized: referenceString(ref),
    familiar: familiarName(ref),
    familiarString: familiarString(ref),
  };
  return { valid: true, fields };
}

function construct(v: Vector): AnyReference {
  if (v.ctorArgs === undefined) {
    // Tag/digest component tested alone (normalize_test.go): WithTag(busybox, x) / WithDigest(busybox, x).
    const busybox = parseNormalizedNamed('busybox');
    return v.fn === 'WithTag' ? withTag(busybox, v.input) : withDigest(busybox, v.input);
  }
  const { name, tag, digest } = v.ctorArgs;
  let ref = withName(name);
  // Same order as the Go tests: the function under test is applied last.
  if (v.fn === 'WithTag') {
    if (digest !== '') ref = withDigest(ref, digest);
    return withTag(ref, tag);
  }
  if (tag !== '') ref = withTag(ref, tag);
  return withDigest(ref, digest);
}

function regexpOutcome(ok: boolean, fields: Partial<Record<Field, string>> = {}): Outcome {
  return ok ? { valid: true, fields } : { valid: false, error: '' };
}

function run(v: Vector): Outcome {
  const s = v.input;
  switch (v.fn) {
    case 'regexp:anchoredName': {
      const parts = splitAnchoredName(s);
      expect(matchesAnchoredName(s)).toBe(parts !== null);
      return regexpOutcome(parts !== null, parts ?? {});
    }
    case 'regexp:domainAndPort':
      return regexpOutcome(matchesDomainAndPort(s));
    case 'regexp:identifier':
      return regexpOutcome(matchesIdentifier(s));
    case 'regexp:reference': {
      const m = matchReference(s);
      return regexpOutcome(m !== null, m ?? {});
    }
  }
  try {
    switch (v.fn) {
      case 'Parse':
        return describeRef(parse(s, GO_TEST_OPTS));
      case 'ParseNamed':
        return describeRef(parseNamed(s, GO_TEST_OPTS));
      case 'ParseNormalizedNamed':
        return describeRef(parseNormalizedNamed(s, GO_TEST_OPTS));
      case 'ParseAnyReference':
        return describeRef(parseAnyReference(s, GO_TEST_OPTS));
      case 'ParseDockerRef':
        return describeRef(parseDockerRef(s, GO_TEST_OPTS));
      case 'WithName':
        return describeRef(withName(s));
      case 'WithTag':
      case 'WithDigest':
        return describeRef(construct(v));
      default:
        throw new Error(`no runner for fn ${v.fn}`);
    }
  } catch (e) {
    expect(e).toBeInstanceOf(ReferenceParseError);
    return { valid: false, error: (e as ReferenceParseError).message };
  }
}

function expectationFor(v: Vector): Expectation {
  const base = v.behaviourChangedInNew === true && v.newBehaviour !== undefined ? v.newBehaviour : v;
  const override = ERROR_TEXT_OVERRIDES[`${v.fn} ${v.source}`];
  return override ? { ...base, error: override.error } : base;
}

const short = (s: string): string => (s.length > 72 ? `${s.slice(0, 60)}…(${s.length} chars)` : s);
const cases = vectors
  .filter((v) => !(v.fn in SKIPPED_FNS))
  .map((v, i) => [`#${i} ${v.fn} ${short(v.input) || '""'}`, v] as const);

describe('distribution/reference v0.6 conformance vectors', () => {
  it('covers the whole file', () => {
    expect(vectors).toHaveLength(363);
    expect(Object.keys(SKIPPED_FNS)).toHaveLength(1);
    expect(Object.keys(ERROR_TEXT_OVERRIDES)).toHaveLength(1);
    const skipped = vectors.filter((v) => v.fn in SKIPPED_FNS);
    expect(skipped).toHaveLength(7);
    expect(cases.length + skipped.length).toBe(vectors.length);
    expect(cases.length).toBeGreaterThan(340);
  });

  it.each(cases)('%s', (_title, v) => {
    const want = expectationFor(v);
    const got = run(v);
    expect(got.valid, `valid (${v.source})`).toBe(want.valid);
    if (!got.valid) {
      if (want.error !== undefined && !v.fn.startsWith('regexp:')) expect(got.error).toBe(want.error);
      return;
    }
    // Every field the vector records (not only `asserted`): they were all checked against the Go code.
    for (const field of FIELDS) {
      const expected = want[field];
      if (expected !== undefined) expect(got.fields[field], field).toBe(expected);
    }
    if (v.fn === 'WithTag' || v.fn === 'WithDigest') expect(got.fields.normalized).toBe(v.input);
    if (want.digestOnly === true) expect(got.digestOnly).toBe(true);
  });
});

describe('digest algorithms beyond the Go test binary', () => {
  const sha512 = `sha512:${'f'.repeat(128)}`;
  it('accepts sha384 and sha512 by default, as real kubelets do', () => {
    expect(parse(`repo@${sha512}`).digest).toBe(sha512);
    expect(parse(`repo@sha384:${'a'.repeat(96)}`).digest).toBe(`sha384:${'a'.repeat(96)}`);
    expect(() => parse(`repo@sha384:${'a'.repeat(64)}`)).toThrow('invalid checksum digest length');
  });
  it('rejects them when only sha256 is enabled', () => {
    expect(() => parse(`repo@${sha512}`, GO_TEST_OPTS)).toThrow('unsupported digest algorithm');
  });
  it('rejects upper-case hex (grammar allows it, go-digest does not)', () => {
    expect(() => parse(`repo@sha256:${'F'.repeat(64)}`)).toThrow('invalid checksum digest format');
  });
});
