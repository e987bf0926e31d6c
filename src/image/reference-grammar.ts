/**
 * Hand-written scanners for the grammar of github.com/distribution/reference v0.6
 * (regexp.go). Go compiles its patterns with RE2, which is linear; a JavaScript
 * RegExp with the same nested quantifiers (`(?:sep[a-z0-9]+)*` inside `(?:/...)*`)
 * backtracks catastrophically. So every production is scanned by hand, once,
 * left to right: each function is O(length of its input).
 *
 *   reference     := name [ ":" tag ] [ "@" digest ]
 *   name          := [ domainAndPort "/" ] remoteName
 *   domainAndPort := ( domainName | "[" [a-fA-F0-9:]+ "]" ) [ ":" [0-9]+ ]
 *   domainName    := label ( "." label )*, label = [a-zA-Z0-9-]+ not starting/ending in "-"
 *   remoteName    := pathComponent ( "/" pathComponent )*
 *   pathComponent := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag           := [\w][\w.-]{0,127}
 *   digest        := algo ( [-_+.] algo )* ":" [0-9a-fA-F]{32,}, algo = [A-Za-z][A-Za-z0-9]*
 */

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const isLetter = (c: number): boolean => isLower(c) || (c >= 0x41 && c <= 0x5a);
const isLowerAlnum = (c: number): boolean => isDigit(c) || isLower(c);
const isAlnum = (c: number): boolean => isDigit(c) || isLetter(c);
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
const isWord = (c: number): boolean => isAlnum(c) || c === 0x5f; // RE2's \w is ASCII-only

const DOT = 0x2e;
const DASH = 0x2d;
const UNDERSCORE = 0x5f;
const COLON = 0x3a;
const SLASH = 0x2f;

/** pathComponent over s[start, end). */
function isPathComponent(s: string, start: number, end: number): boolean {
  let i = start;
  for (;;) {
    const run = i;
    while (i < end && isLowerAlnum(s.charCodeAt(i))) i++;
    if (i === run) return false; // empty component, or separator not followed by [a-z0-9]
    if (i === end) return true;
    const c = s.charCodeAt(i);
    if (c === DOT) i++;
    else if (c === UNDERSCORE) i += i + 1 < end && s.charCodeAt(i + 1) === UNDERSCORE ? 2 : 1; // "_" or "__", never "___"
    else if (c === DASH) while (i < end && s.charCodeAt(i) === DASH) i++;
    else return false;
  }
}

/** remoteName over s[start, end). */
export function isRemoteName(s: string, start: number, end: number): boolean {
  let segment = start;
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) !== SLASH) continue;
    if (!isPathComponent(s, segment, i)) return false;
    segment = i + 1;
  }
  return isPathComponent(s, segment, end);
}

/** domainAndPort over s[start, end). */
export function isDomainAndPort(s: string, start: number, end: number): boolean {
  if (start >= end) return false;
  let i = start;
  if (s.charCodeAt(i) === 0x5b /* [ */) {
    // IPv6 is only "hex digits and colons in brackets": no zone (%eth0), no dotted IPv4 tail.
    const inner = ++i;
    while (i < end && (isHex(s.charCodeAt(i)) || s.charCodeAt(i) === COLON)) i++;
    if (i === inner || i >= end || s.charCodeAt(i) !== 0x5d /* ] */) return false;
    i++;
  } else {
    for (;;) {
      const label = i;
      while (i < end && (isAlnum(s.charCodeAt(i)) || s.charCodeAt(i) === DASH)) i++;
      if (i === label || s.charCodeAt(label) === DASH || s.charCodeAt(i - 1) === DASH) return false;
      if (i < end && s.charCodeAt(i) === DOT) i++;
      else break;
    }
  }
  if (i === end) return true;
  if (s.charCodeAt(i) !== COLON) return false;
  const port = ++i;
  while (i < end && isDigit(s.charCodeAt(i))) i++; // any length: Go accepts ":750505"
  return i > port && i === end;
}

/** tag over s[start, end). */
export function isTag(s: string, start: number, end: number): boolean {
  if (end - start < 1 || end - start > 128 || !isWord(s.charCodeAt(start))) return false;
  for (let i = start + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isWord(c) && c !== DOT && c !== DASH) return false;
  }
  return true;
}

/** The reference package's digest pattern over s[start, end) (looser than go-digest's). */
export function isDigestPattern(s: string, start: number, end: number): boolean {
  let i = start;
  for (;;) {
    if (i >= end || !isLetter(s.charCodeAt(i))) return false;
    i++;
    while (i < end && isAlnum(s.charCodeAt(i))) i++;
    const c = s.charCodeAt(i);
    if (i < end && (c === DASH || c === UNDERSCORE || c === 0x2b /* + */ || c === DOT)) i++;
    else break;
  }
  if (i >= end || s.charCodeAt(i) !== COLON) return false;
  const hex = ++i;
  while (i < end && isHex(s.charCodeAt(i))) i++;
  return i === end && i - hex >= 32;
}

/** go-digest's DigestRegexpAnchored: `^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$`. */
export function isGoDigestSyntax(s: string): boolean {
  const colon = s.indexOf(':');
  if (colon < 0) return false;
  let i = 0;
  for (;;) {
    const run = i;
    while (i < colon && isLowerAlnum(s.charCodeAt(i))) i++;
    if (i === run) return false;
    if (i === colon) break;
    const c = s.charCodeAt(i);
    if (c !== DOT && c !== 0x2b && c !== UNDERSCORE && c !== DASH) return false;
    i++;
  }
  if (colon + 1 >= s.length) return false;
  for (i = colon + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isAlnum(c) && c !== 0x3d /* = */ && c !== UNDERSCORE && c !== DASH) return false;
  }
  return true;
}

export interface NameParts {
  domain: string;
  path: string;
}

/**
 * anchoredNameRegexp `^(?:(domainAndPort)/)?(remoteName)$`. RE2 prefers the optional
 * domain group, so "a/b" is domain "a" + path "b" (not path "a/b"); the domain is
 * dropped only when the first segment is not a valid host (e.g. "foo_bar/x").
 */
export function splitAnchoredName(s: string): NameParts | null {
  const slash = s.indexOf('/');
  if (slash > 0 && isDomainAndPort(s, 0, slash) && isRemoteName(s, slash + 1, s.length)) {
    return { domain: s.slice(0, slash), path: s.slice(slash + 1) };
  }
  return isRemoteName(s, 0, s.length) ? { domain: '', path: s } : null;
}

export interface ReferenceParts extends NameParts {
  name: string;
  tag: string; // "" when absent, like Go's FindStringSubmatch
  digest: string;
}

/**
 * ReferenceRegexp. The split is unambiguous without backtracking: no production but
 * the digest contains "@", and a ":" after the last "/" can only start the tag
 * (path components never contain ":" and the tag never contains "/"), so
 * "registry:5000/app" has no tag while "test.com:5000" is name "test.com" + tag "5000".
 */
export function scanReference(s: string): ReferenceParts | null {
  let nameEnd = s.length;
  let digest = '';
  const at = s.indexOf('@');
  if (at >= 0) {
    if (!isDigestPattern(s, at + 1, s.length)) return null;
    digest = s.slice(at + 1);
    nameEnd = at;
  }
  if (nameEnd === 0) return null;
  let tag = '';
  const colon = s.lastIndexOf(':', nameEnd - 1);
  if (colon > s.lastIndexOf('/', nameEnd - 1)) {
    if (!isTag(s, colon + 1, nameEnd)) return null;
    tag = s.slice(colon + 1, nameEnd);
    nameEnd = colon;
  }
  const name = s.slice(0, nameEnd);
  const parts = splitAnchoredName(name);
  return parts ? { name, ...parts, tag, digest } : null;
}

/** anchoredIdentifierRegexp `^[a-f0-9]{64}$`. */
export function isIdentifier(s: string): boolean {
  if (s.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c) && !(c >= 0x61 && c <= 0x66)) return false;
  }
  return true;
}
