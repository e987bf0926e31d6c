/**
 * Go's `path/filepath.Match` (Unix), ported step by step because `.helmignore` patterns are matched with it: `*` any
 * run of characters except `/`, `?` one character except `/`, `[abc]`, `[a-z]`, `[^a-z]` classes, `\` escapes the
 * next character. A malformed pattern (`[`, `[]`, a trailing `\`) throws BadPatternError, as Go returns
 * ErrBadPattern; helm then refuses to load the chart. A port rather than a translation to RegExp: Go matches each
 * chunk at its leftmost position without backtracking across chunks, and this follows it exactly.
 */
export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern'); // Go's ErrBadPattern text, which helm prints
    this.name = 'BadPatternError';
  }
}

const SEPARATOR = '/';
type Chars = readonly string[];

/** A leading run of stars, then the chunk up to the next star outside a class. */
function scanChunk(pattern: Chars): { star: boolean; chunk: Chars; rest: Chars } {
  let start = 0;
  while (start < pattern.length && pattern[start] === '*') start++;
  let inRange = false;
  let i = start;
  scan: for (; i < pattern.length; i++) {
    switch (pattern[i]) {
      case '\\':
        if (i + 1 < pattern.length) i++;
        break;
      case '[':
        inRange = true;
        break;
      case ']':
        inRange = false;
        break;
      case '*':
        if (!inRange) break scan;
        break;
    }
  }
  return { star: start > 0, chunk: pattern.slice(start, i), rest: pattern.slice(i) };
}

/** One class bound (`a`, `\]`); `next` is the index after it, which must not be the end of the chunk. */
function classChar(chunk: Chars, at: number): { code: number; next: number } {
  let i = at;
  if (i >= chunk.length || chunk[i] === '-' || chunk[i] === ']') throw new BadPatternError();
  if (chunk[i] === '\\') {
    i++;
    if (i >= chunk.length) throw new BadPatternError();
  }
  const code = chunk[i]!.codePointAt(0)!;
  if (i + 1 >= chunk.length) throw new BadPatternError();
  return { code, next: i + 1 };
}

/**
 * Matches `chunk` (no stars) at the start of `name`: the rest of the name, or null. After a mismatch it keeps
 * reading the chunk, so a malformed chunk throws even when the name already failed (as Go does).
 */
function matchChunk(chunk: Chars, name: Chars): Chars | null {
  let failed = false;
  let c = 0;
  let n = 0;
  while (c < chunk.length) {
    if (!failed && n >= name.length) failed = true;
    const token = chunk[c]!;
    if (token === '[') {
      const code = failed ? -1 : name[n++]!.codePointAt(0)!;
      c++;
      const negated = chunk[c] === '^';
      if (negated) c++;
      let matched = false;
      for (let ranges = 0; ; ranges++) {
        if (chunk[c] === ']' && ranges > 0) {
          c++;
          break;
        }
        const lo = classChar(chunk, c);
        let hi = lo;
        if (chunk[lo.next] === '-') hi = classChar(chunk, lo.next + 1);
        c = hi.next;
        if (lo.code <= code && code <= hi.code) matched = true;
      }
      if (matched === negated) failed = true;
    } else if (token === '?') {
      if (!failed && name[n++] === SEPARATOR) failed = true;
      c++;
    } else {
      if (token === '\\') {
        c++;
        if (c >= chunk.length) throw new BadPatternError();
      }
      if (!failed && chunk[c] !== name[n++]) failed = true;
      c++;
    }
  }
  return failed ? null : name.slice(n);
}

/** Go's `filepath.Match(pattern, name)`. */
export function goMatch(patternText: string, nameText: string): boolean {
  let pattern: Chars = Array.from(patternText);
  let name: Chars = Array.from(nameText);
  next: while (pattern.length > 0) {
    const { star, chunk, rest } = scanChunk(pattern);
    pattern = rest;
    // A trailing star matches the rest of the name unless it has a separator.
    if (star && chunk.length === 0) return !name.includes(SEPARATOR);
    const here = matchChunk(chunk, name);
    // The last chunk must use up the name; otherwise a later position may still match after the star.
    if (here !== null && (here.length === 0 || pattern.length > 0)) {
      name = here;
      continue;
    }
    if (star) {
      for (let i = 0; i < name.length && name[i] !== SEPARATOR; i++) {
        const later = matchChunk(chunk, name.slice(i + 1));
        if (later === null || (pattern.length === 0 && later.length > 0)) continue;
        name = later;
        continue next;
      }
    }
    // No match: still report a malformed remainder of the pattern.
    while (pattern.length > 0) {
      const following = scanChunk(pattern);
      pattern = following.rest;
      matchChunk(following.chunk, []);
    }
    return false;
  }
  return name.length === 0;
}
