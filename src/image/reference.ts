/**
 * Container image references, parsed the way github.com/distribution/reference v0.6
 * does (the package Docker, containerd and the kubelet use). Behaviour, including the
 * error texts, follows the Go code; /work/shared/conformance/reference-vectors.json
 * (checked by test/unit/reference-conformance.test.ts) pins it down.
 *
 * All scanning is linear-time (see reference-grammar.ts). Every function here throws
 * only ReferenceParseError, whatever string it is given.
 */
import {
  isDigestPattern,
  isDomainAndPort,
  isGoDigestSyntax,
  isIdentifier,
  isTag,
  scanReference,
  splitAnchoredName,
  type NameParts,
} from './reference-grammar.js';

export { splitAnchoredName, type NameParts };

/** A named reference. name = domain ? `${domain}/${path}` : path. */
export interface Reference {
  domain: string;
  path: string;
  tag: string | null;
  digest: string | null;
}

/** What ParseAnyReference returns for a bare digest or a 64-hex image ID. */
export interface DigestOnlyReference {
  digestOnly: true;
  digest: string;
}

export type AnyReference = Reference | DigestOnlyReference;

export interface ParseOptions {
  /**
   * Digest algorithms to accept (go-digest only knows sha256, sha384 and sha512; other
   * names are never available). Default: all three, as in real kubelets. Go's own test
   * binary links only crypto/sha256, hence `['sha256']` reproduces its vectors.
   */
  digestAlgorithms?: readonly string[];
}

export class ReferenceParseError extends Error {
  override name = 'ReferenceParseError';
}

export const DEFAULT_DIGEST_ALGORITHMS: readonly string[] = ['sha256', 'sha384', 'sha512'];
const DIGEST_HEX_LENGTH = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

const NAME_TOTAL_LENGTH_MAX = 255;
const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';

const ERR_FORMAT = 'invalid reference format';
const ERR_NAME_TOO_LONG = `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`;

function fail(message: string): never {
  throw new ReferenceParseError(message);
}

function checkString(s: unknown): string {
  return typeof s === 'string' ? s : fail(ERR_FORMAT);
}

/** go-digest's Digest.Validate; null when valid, else its error text. */
function digestError(d: string, opts?: ParseOptions): string | null {
  const colon = d.indexOf(':');
  if (colon <= 0 || colon + 1 === d.length) return 'invalid checksum digest format';
  const algorithm = d.slice(0, colon);
  const encoded = d.slice(colon + 1);
  const allowed = opts?.digestAlgorithms ?? DEFAULT_DIGEST_ALGORITHMS;
  const hexLength = allowed.includes(algorithm) ? DIGEST_HEX_LENGTH.get(algorithm) : undefined;
  if (hexLength === undefined) {
    // Go only says "unsupported" when the string still looks like a digest to go-digest.
    return isGoDigestSyntax(d) ? 'unsupported digest algorithm' : 'invalid checksum digest format';
  }
  if (encoded.length !== hexLength) return 'invalid checksum digest length';
  // The reference grammar allows upper-case hex; go-digest then rejects it.
  return /^[a-f0-9]+$/.test(encoded) ? null : 'invalid checksum digest format';
}

/**
 * Go's strings.ToLower uses the simple case mapping: "İ" (U+0130) becomes "i", where
 * JavaScript's toLowerCase() gives "i̇" ("i" + U+0307). Everything else that matters
 * (ASCII, the Kelvin sign -> "k") maps the same; other non-ASCII never matches anyway.
 */
function goToLower(s: string): string {
  return s.replace(/\u0130/g, 'i').toLowerCase();
}

/** Parse: the bare grammar, no docker.io normalisation ("foo/bar" is domain "foo"). */
export function parse(input: string, opts?: ParseOptions): Reference {
  const s = checkString(input);
  const m = scanReference(s);
  if (m === null) {
    if (s === '') fail('repository name must have at least one component');
    // Go re-matches the lower-cased input only to pick a better error message.
    fail(scanReference(goToLower(s)) !== null ? 'repository name must be lowercase' : ERR_FORMAT);
  }
  // Since v0.6 the limit is on the path alone; v2.8.2 counted domain + path.
  if (m.path.length > NAME_TOTAL_LENGTH_MAX) fail(ERR_NAME_TOO_LONG);
  if (m.digest !== '') {
    const error = digestError(m.digest, opts);
    if (error !== null) fail(error);
  }
  return { domain: m.domain, path: m.path, tag: m.tag === '' ? null : m.tag, digest: m.digest === '' ? null : m.digest };
}

/**
 * splitDockerDomain: the first segment is a registry host only if it contains "." or
 * ":", is "localhost", or has capitals (v0.6: Docker Hub namespaces are lowercase, so
 * "Foo/bar" means host "Foo"). Otherwise the name lives on docker.io, and a
 * single-segment docker.io path gets "library/".
 */
function splitDockerDomain(name: string): [domain: string, remainder: string] {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  let domain = DEFAULT_DOMAIN;
  let remainder = name;
  if (slash >= 0 && (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first)) {
    domain = first === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : first;
    remainder = name.slice(slash + 1);
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return [domain, remainder];
}

/** ParseNormalizedNamed: "nginx" -> docker.io/library/nginx. What `docker pull` accepts. */
export function parseNormalizedNamed(input: string, opts?: ParseOptions): Reference {
  const s = checkString(input);
  if (isIdentifier(s)) fail(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  const [domain, remainder] = splitDockerDomain(s);
  // Go cuts at the first ":" even when it belongs to "@sha256:..."; kept as is.
  const colon = remainder.indexOf(':');
  const remote = colon < 0 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) {
    fail(`invalid reference format: repository name (${remote}) must be lowercase`);
  }
  return parse(`${domain}/${remainder}`, opts);
}

/** ParseNamed: like parseNormalizedNamed, but the input must already be in normalised form. */
export function parseNamed(input: string, opts?: ParseOptions): Reference {
  const ref = parseNormalizedNamed(input, opts);
  if (referenceString(ref) !== input) fail('repository name must be canonical');
  return ref;
}

/** ParseAnyReference: also accepts an image ID (64 hex, taken as sha256) or a bare digest. */
export function parseAnyReference(input: string, opts?: ParseOptions): AnyReference {
  const s = checkString(input);
  // Go assumes sha256 for a bare ID whatever algorithms are enabled.
  if (isIdentifier(s)) return { digestOnly: true, digest: `sha256:${s}` };
  if (digestError(s, opts) === null) return { digestOnly: true, digest: s };
  return parseNormalizedNamed(s, opts);
}

/** ParseDockerRef: normalised; no tag and no digest -> ":latest"; tag and digest -> digest only. */
export function parseDockerRef(input: string, opts?: ParseOptions): Reference {
  const ref = parseNormalizedNamed(input, opts);
  if (ref.digest !== null) return { ...ref, tag: null };
  return ref.tag === null ? { ...ref, tag: 'latest' } : ref;
}

/** WithName: a name without tag or digest. */
export function withName(input: string): Reference {
  const parts = splitAnchoredName(checkString(input)) ?? fail(ERR_FORMAT);
  if (parts.path.length > NAME_TOTAL_LENGTH_MAX) fail(ERR_NAME_TOO_LONG);
  return { domain: parts.domain, path: parts.path, tag: null, digest: null };
}

/** WithTag: sets the tag, keeps any digest. */
export function withTag(ref: Reference, tag: string): Reference {
  const t = checkString(tag);
  if (!isTag(t, 0, t.length)) fail('invalid tag format');
  return { domain: ref.domain, path: ref.path, tag: t, digest: ref.digest };
}

/** WithDigest: sets the digest, keeps any tag. Like Go, checks only the grammar (no length check). */
export function withDigest(ref: Reference, digest: string): Reference {
  const d = checkString(digest);
  if (!isDigestPattern(d, 0, d.length)) fail('invalid digest format');
  return { domain: ref.domain, path: ref.path, tag: ref.tag, digest: d };
}

export function isDigestOnly(ref: AnyReference): ref is DigestOnlyReference {
  return 'digestOnly' in ref;
}

export function referenceName(ref: Reference): string {
  return ref.domain === '' ? ref.path : `${ref.domain}/${ref.path}`;
}

function withSuffixes(name: string, ref: Reference): string {
  return name + (ref.tag === null ? '' : `:${ref.tag}`) + (ref.digest === null ? '' : `@${ref.digest}`);
}

/** The full string: name[:tag][@digest], or the digest alone. */
export function referenceString(ref: AnyReference): string {
  return isDigestOnly(ref) ? ref.digest : withSuffixes(referenceName(ref), ref);
}

/** FamiliarName: drops "docker.io/" and, for one-level official images, "library/". */
export function familiarName(ref: Reference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return referenceName(ref);
  const rest = ref.path.startsWith(OFFICIAL_REPO_PREFIX) ? ref.path.slice(OFFICIAL_REPO_PREFIX.length) : null;
  // "library/foo/bar" stays as is: only "library/<single>" is an official image.
  return rest !== null && !rest.includes('/') ? rest : ref.path;
}

export function familiarString(ref: AnyReference): string {
  return isDigestOnly(ref) ? ref.digest : withSuffixes(familiarName(ref), ref);
}

// Test hooks mirroring the Go package's regular expressions (all anchored).

export function matchesAnchoredName(s: string): boolean {
  return splitAnchoredName(s) !== null;
}

export function matchesDomainAndPort(s: string): boolean {
  return isDomainAndPort(s, 0, s.length);
}

/** ReferenceRegexp's submatches; "" for an absent tag or digest, as in Go. */
export function matchReference(s: string): { name: string; tag: string; digest: string } | null {
  const m = scanReference(s);
  return m === null ? null : { name: m.name, tag: m.tag, digest: m.digest };
}

export function matchesIdentifier(s: string): boolean {
  return isIdentifier(s);
}

/** True when `value` parses as an image reference (ParseNormalizedNamed): the test for a field named `image`. */
export function isImageReference(value: string): boolean {
  try {
    parseNormalizedNamed(value);
    return true;
  } catch {
    return false;
  }
}

/** The reference as reports show it: registry (domain), repository (path), tag, digest. */
export function referenceParts(
  ref: Reference | null,
): { registry: string; repository: string; tag: string | null; digest: string | null } | null {
  return ref ? { registry: ref.domain, repository: ref.path, tag: ref.tag, digest: ref.digest } : null;
}
