/**
 * Regular expressions for values.schema.json that mean the same to Go's RE2 (helm 3's gojsonschema and helm 4's
 * jsonschema both use Go's regexp) and to JavaScript (ajv, for `imageguard validate`): no lookaround, no
 * backreferences, no inline flags (`(?i)` is RE2-only), only ASCII classes. Every pattern is anchored.
 */

/** A tag as the distribution reference grammar allows it: `[\w][\w.-]{0,127}`. */
export const TAG_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';
/** The same, or empty (the chart falls back to appVersion or uses a digest). */
export const TAG_OR_EMPTY_PATTERN = '^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$';
/** A digest the kubelet pulls by (go-digest: sha256, sha384, sha512 in lower-case hex). */
const DIGEST = '(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})';
export const DIGEST_OR_EMPTY_PATTERN = `^${DIGEST}?$`;
export const DIGEST_PATTERN = `^${DIGEST}$`;
/** Hex only, for fields the template prefixes with `@sha256:` itself (grafana's `sha`). */
export const SHA256_HEX_OR_EMPTY_PATTERN = '^(?:[a-f0-9]{64})?$';
export const SHA256_HEX_PATTERN = '^[a-f0-9]{64}$';
/**
 * A whole image reference with a tag or a digest. `[^@\s]+:` is greedy but a tag cannot contain `/` or `:`,
 * so `host:5000/app` (a port, no tag) does not match while `host:5000/app:1.2` does.
 */
export const REFERENCE_PINNED_PATTERN = `^(?:[^@\\s]+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|[^@\\s]+@${DIGEST})$`;
export const REFERENCE_DIGEST_PATTERN = `^[^@\\s]+@${DIGEST}$`;

function escapeRegex(char: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

/**
 * One configured mutable tag (`latest`, `*-SNAPSHOT`) as a case-insensitive RE2/JS fragment: letters become
 * `[lL]` classes, `*` any run of tag characters, everything else is literal. Matching is case-insensitive as in
 * the classifier (matchesMutableTag).
 */
export function mutableTagFragment(tag: string): string {
  let out = '';
  for (const char of tag) {
    if (char === '*') out += '[A-Za-z0-9_.-]*';
    else if (/[a-z]/i.test(char)) out += `[${char.toLowerCase()}${char.toUpperCase()}]`;
    else out += escapeRegex(char);
  }
  return out;
}

/** A tag that is one of the mutable tags (case-insensitive). */
export function mutableTagPattern(tags: readonly string[]): string {
  return `^(?:${[...new Set(tags)].map(mutableTagFragment).join('|')})$`;
}

/** A whole reference whose tag is mutable and which has no digest (a digest pins whatever the tag says). */
export function mutableReferencePattern(tags: readonly string[]): string {
  return `^[^@]*:(?:${[...new Set(tags)].map(mutableTagFragment).join('|')})$`;
}
