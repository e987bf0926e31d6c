/**
 * Positions of every node of a plain values file (the ones fast-values.ts reads) by a line scanner, for the
 * origins that lint and validate point at: the same map the yaml package's full parse gives (load.ts documentSource),
 * at a fraction of its cost. It knows block mappings and sequences, one-line flow collections, quoted, plain and
 * block scalars; anything else (a multi-line plain or quoted scalar, a flow spanning lines, odd indentation,
 * escapes in quoted keys, a tab anywhere, CR line ends) returns null, and the caller parses fully.
 * test/unit/positions.test.ts compares both on the corpus and on generated files.
 */
import { formatValuesPath, pathKey, type ValueOrigin, type ValuesPath } from './types.js';

class NotPlain extends Error {}

const bail = (): never => {
  throw new NotPlain();
};

interface Line {
  text: string;
  indent: number;
  /** Blank or comment only. */
  empty: boolean;
}

function lineOf(text: string): Line {
  let indent = 0;
  while (text[indent] === ' ') indent++;
  const rest = text.slice(indent);
  return { text, indent, empty: rest === '' || rest.startsWith('#') };
}

/** Index just after a quoted scalar starting at `at`, on this line; bails if it does not close here. */
function quotedEnd(text: string, at: number): number {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return bail();
}

/** Only blanks, or blanks and a comment, from `at` to the end of the line (`"x"#c` is not YAML). */
function restIsEmpty(text: string, at: number): boolean {
  const rest = text.slice(at).trimStart();
  return rest === '' || (rest.startsWith('#') && rest.length < text.length - at);
}

/** Where a plain mapping key's `:` is (followed by a blank or the line's end), or -1. Stops at a comment. */
function keyColon(text: string, at: number): number {
  for (let i = at; i < text.length; i++) {
    if (text[i] === '#' && (i === at || text[i - 1] === ' ')) return -1;
    if (text[i] === ':' && (i + 1 === text.length || text[i + 1] === ' ')) return i;
  }
  return -1;
}

/** What the scanner records of one node: its path and its 1-based line and column (none for an empty entry). */
type NodeSink = (path: ValuesPath, line?: number, column?: number) => void;

class Scanner {
  private readonly lines: Line[];
  private i = 0;

  constructor(
    text: string,
    private readonly keyOf: (plain: string) => string,
    private readonly onNode: NodeSink,
  ) {
    // Tabs and CRs: js-yaml lets some through where the yaml package (and go-yaml) refuse; leave them to the full parse.
    if (text.includes('\r') || text.includes('\t')) bail();
    this.lines = text.split('\n').map(lineOf);
  }

  scan(): void {
    const first = this.next(0);
    if (first < 0) return;
    const line = this.lines[first]!;
    const at = line.indent;
    if (line.text[at] === '{' || line.text[at] === '[') {
      this.flowLine([], first, at);
    } else if (this.isSeqEntry(first, at)) {
      this.sequence([], first, at);
    } else if (this.keyAt(first, at)) {
      this.mapping([], first, at);
    } else {
      bail(); // a scalar document, or something else unusual
    }
    if (this.next(this.i) >= 0) bail();
  }

  private record(path: ValuesPath, line: number | null, column: number | null): void {
    if (path.length === 0) return; // the root has no origin
    if (line === null || column === null) this.onNode(path);
    else this.onNode(path, line + 1, column + 1);
  }

  /** The first line at or after `from` that is neither blank nor a comment, or -1. */
  private next(from: number): number {
    for (let j = from; j < this.lines.length; j++) if (!this.lines[j]!.empty) return j;
    return -1;
  }

  private isSeqEntry(line: number, at: number): boolean {
    const text = this.lines[line]!.text;
    return text[at] === '-' && (at + 1 === text.length || text[at + 1] === ' ');
  }

  /** The key starting at `at` (resolved as the tree has it) and the column after its colon, or null. */
  private keyAt(line: number, at: number): { key: string; after: number } | null {
    const text = this.lines[line]!.text;
    const c = text[at];
    if (c === '"' || c === "'") {
      const end = quotedEnd(text, at);
      let colon = end;
      while (text[colon] === ' ') colon++;
      if (text[colon] !== ':' || !(colon + 1 === text.length || text[colon + 1] === ' ')) return null;
      const inner = text.slice(at + 1, end - 1);
      if (c === '"' && inner.includes('\\')) bail();
      return { key: c === "'" ? inner.replace(/''/g, "'") : inner, after: colon + 1 };
    }
    if (c === '{' || c === '[' || c === '-' || c === '#' || c === '|' || c === '>' || c === undefined) return null;
    const colon = keyColon(text, at);
    if (colon < 0) return null;
    return { key: this.keyOf(text.slice(at, colon).trimEnd()), after: colon + 1 };
  }

  /** A block mapping whose first key is at (line, at); further keys at column `at` on their own lines. */
  private mapping(path: ValuesPath, line: number, at: number): void {
    if (path.length > 0) this.record(path, line, at);
    let current = line;
    for (;;) {
      const entry = this.keyAt(current, at) ?? bail();
      this.value([...path, entry.key], current, entry.after, at, current, at);
      const following = this.next(this.i);
      if (following < 0) return;
      const next = this.lines[following]!;
      if (next.indent < at) return;
      if (next.indent > at) bail();
      if (this.isSeqEntry(following, at)) return; // a sequence at its key's indentation ends here (caller checks)
      current = following;
    }
  }

  /** A block sequence whose entries start with `-` at column `at`. */
  private sequence(path: ValuesPath, line: number, at: number): void {
    if (path.length > 0) this.record(path, line, at);
    let current = line;
    for (let index = 0; ; index++) {
      const text = this.lines[current]!.text;
      let start = at + 1;
      while (text[start] === ' ') start++;
      const item = [...path, index];
      if (start >= text.length || text[start] === '#') {
        const nested = this.next(current + 1);
        if (nested >= 0 && this.lines[nested]!.indent > at) this.block(item, nested);
        else {
          this.record(item, null, null); // an empty entry has no position in the yaml package either
          this.i = current + 1;
        }
      } else if (this.isSeqEntry(current, start)) {
        bail(); // `- - x`
      } else if (this.keyAt(current, start)) {
        this.mapping(item, current, start);
      } else {
        this.scalarOrFlow(item, current, start, at);
      }
      const following = this.next(this.i);
      if (following < 0 || this.lines[following]!.indent < at) return;
      if (this.lines[following]!.indent > at) bail();
      if (!this.isSeqEntry(following, at)) return; // the next key of a mapping this sequence is a value of
      current = following;
    }
  }

  /** The block node (mapping or sequence) whose first line is `line`. */
  private block(path: ValuesPath, line: number): void {
    const at = this.lines[line]!.indent;
    if (this.isSeqEntry(line, at)) this.sequence(path, line, at);
    else if (this.keyAt(line, at)) this.mapping(path, line, at);
    else bail(); // a multi-line plain scalar
  }

  /** The value of a key whose colon ends at `after` on `line`; the key itself is at (keyLine, keyColumn). */
  private value(path: ValuesPath, line: number, after: number, indent: number, keyLine: number, keyColumn: number): void {
    const text = this.lines[line]!.text;
    let start = after;
    while (text[start] === ' ') start++;
    if (start < text.length && text[start] !== '#') return this.scalarOrFlow(path, line, start, indent);
    const nested = this.next(line + 1);
    const next = nested < 0 ? null : this.lines[nested]!;
    if (next && (next.indent > indent || (next.indent === indent && this.isSeqEntry(nested, indent)))) {
      this.block(path, nested);
      return;
    }
    this.record(path, keyLine, keyColumn); // an empty value points at its key, as load.ts does
    this.i = line + 1;
  }

  /** A scalar or one-line flow collection at (line, start) in a block whose parent sits at column `indent`. */
  private scalarOrFlow(path: ValuesPath, line: number, start: number, indent: number): void {
    const text = this.lines[line]!.text;
    const c = text[start];
    this.i = line + 1;
    if (c === '{' || c === '[') {
      const end = this.flow(path, line, start);
      if (!restIsEmpty(text, end)) bail();
      return;
    }
    this.record(path, line, start);
    if (c === '|' || c === '>') {
      // Block scalar: every following line that is blank or indented deeper belongs to it.
      while (this.i < this.lines.length && (this.lines[this.i]!.text.trim() === '' || this.lines[this.i]!.indent > indent)) this.i++;
      return;
    }
    if (c === '"' || c === "'") {
      if (!restIsEmpty(text, quotedEnd(text, start))) bail();
      return;
    }
    const following = this.next(line + 1);
    if (following >= 0 && this.lines[following]!.indent > indent) bail(); // continues on the next line
  }

  private flowLine(path: ValuesPath, line: number, at: number): void {
    const end = this.flow(path, line, at);
    if (!restIsEmpty(this.lines[line]!.text, end)) bail();
    this.i = line + 1;
  }

  /** A flow collection or flow scalar at (line, at); returns the column after it. */
  private flow(path: ValuesPath, line: number, at: number): number {
    const text = this.lines[line]!.text;
    const skip = (i: number): number => {
      while (text[i] === ' ') i++;
      return i;
    };
    const c = text[at];
    if (c === '{' || c === '[') {
      this.record(path, line, at);
      const close = c === '{' ? '}' : ']';
      let i = skip(at + 1);
      for (let index = 0; text[i] !== close; index++) {
        if (i >= text.length) bail(); // the collection goes on past this line
        if (c === '[') {
          i = skip(this.flow([...path, index], line, i));
        } else {
          const keyEnd = text[i] === '"' || text[i] === "'" ? quotedEnd(text, i) : this.flowPlainEnd(text, i);
          const raw = text.slice(i, keyEnd).trim();
          if (text[i] === '"' && raw.includes('\\')) bail();
          const key = text[i] === '"' ? raw.slice(1, -1) : text[i] === "'" ? raw.slice(1, -1).replace(/''/g, "'") : this.keyOf(raw);
          const colon = skip(keyEnd);
          if (text[colon] !== ':') bail(); // `{a}`: a key with no value
          const valueAt = skip(colon + 1);
          if (text[valueAt] === ',' || text[valueAt] === '}') bail(); // `{a: }`
          i = skip(this.flow([...path, key], line, valueAt));
        }
        if (text[i] === ',') i = skip(i + 1);
        else if (text[i] !== close) bail();
      }
      return i + 1;
    }
    if (c === undefined || c === ',' || c === '}' || c === ']' || c === '#') bail();
    this.record(path, line, at);
    return c === '"' || c === "'" ? quotedEnd(text, at) : this.flowPlainEnd(text, at);
  }

  /** End of a plain scalar inside a flow collection: before `,` `]` `}`, `: ` or ` #`. */
  private flowPlainEnd(text: string, at: number): number {
    let i = at;
    while (i < text.length) {
      const c = text[i];
      if (c === ',' || c === ']' || c === '}' || c === '[' || c === '{') break;
      if (c === ':' && (text[i + 1] === ' ' || text[i + 1] === ',' || text[i + 1] === undefined)) break;
      if (c === '#' && text[i - 1] === ' ') bail();
      i++;
    }
    while (i > at && text[i - 1] === ' ') i--;
    return i;
  }
}

function scan(text: string, keyOf: (plain: string) => string, onNode: NodeSink): boolean {
  try {
    new Scanner(text, keyOf, onNode).scan();
    return true;
  } catch (error) {
    // RangeError: nesting deeper than the stack; the full parse reports (or reads) such a file.
    if (error instanceof NotPlain || error instanceof RangeError) return false;
    throw error;
  }
}

/** The positions of every node of `text`, as load.ts documentSource records them; null when not plain enough. */
export function scanPositions(text: string, file: string, keyOf: (plain: string) => string): Map<string, ValueOrigin> | null {
  const out = new Map<string, ValueOrigin>();
  const done = scan(text, keyOf, (path, line, column) => {
    out.set(pathKey(path), line === undefined ? { file, path: formatValuesPath(path) } : { file, path: formatValuesPath(path), line, column });
  });
  return done ? out : null;
}

/** The 1-based line of every node of `text` that has one, by pathKey; null when not plain enough. */
export function scanLines(text: string, keyOf: (plain: string) => string): Map<string, number> | null {
  const out = new Map<string, number>();
  const done = scan(text, keyOf, (path, line) => {
    if (line !== undefined) out.set(pathKey(path), line);
  });
  return done ? out : null;
}
