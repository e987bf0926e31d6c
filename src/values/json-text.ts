/**
 * Strict JSON (RFC 8259) with the offset of every node, for two jobs that JSON.parse cannot do: editing a JSON
 * file in place (values.schema.json keeps every byte outside the part we own) and reading one JSON value from
 * the front of a longer string, as Go's json.Decoder does for helm's `--set-json a=1,b=2`.
 */

export type JsonNode =
  | { type: 'object'; start: number; end: number; members: JsonMember[] }
  | { type: 'array'; start: number; end: number; items: JsonNode[] }
  | { type: 'string'; start: number; end: number; value: string }
  | { type: 'number'; start: number; end: number; value: number }
  | { type: 'boolean'; start: number; end: number; value: boolean }
  | { type: 'null'; start: number; end: number; value: null };

export type JsonObjectNode = Extract<JsonNode, { type: 'object' }>;
export type JsonArrayNode = Extract<JsonNode, { type: 'array' }>;

export interface JsonMember {
  key: string;
  /** Offset of the key's opening quote. */
  keyStart: number;
  value: JsonNode;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const MAX_DEPTH = 1000;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Reader {
  pos: number;
  constructor(
    readonly text: string,
    start: number,
  ) {
    this.pos = start;
  }

  fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(message, at);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && WHITESPACE.has(this.text[this.pos]!)) this.pos += 1;
  }

  describe(): string {
    return this.pos >= this.text.length ? 'unexpected end of JSON' : `unexpected character ${JSON.stringify(this.text[this.pos])}`;
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail('JSON nested too deeply');
    this.skipSpace();
    const start = this.pos;
    const char = this.text[this.pos];
    if (char === '{') return this.object(depth);
    if (char === '[') return this.array(depth);
    if (char === '"') return { type: 'string', start, value: this.string(), end: this.pos };
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value === null ? { type: 'null', start, end: this.pos, value } : { type: 'boolean', start, end: this.pos, value };
      }
    }
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match && match[0] !== '' && match[0] !== '-') {
      this.pos += match[0].length;
      return { type: 'number', start, end: this.pos, value: Number(match[0]) };
    }
    return this.fail(`${this.describe()}, expected a JSON value`);
  }

  string(): string {
    const start = this.pos;
    this.pos += 1; // opening quote
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string', start);
      const char = this.text[this.pos]!;
      if (char === '"') {
        this.pos += 1;
        return out;
      }
      if (char < ' ') this.fail('control character in string');
      if (char !== '\\') {
        out += char;
        this.pos += 1;
        continue;
      }
      const escape = this.text[this.pos + 1];
      if (escape === 'u') {
        const hex = this.text.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 6;
      } else if (escape !== undefined && ESCAPES[escape] !== undefined) {
        out += ESCAPES[escape];
        this.pos += 2;
      } else {
        this.fail('invalid escape in string');
      }
    }
  }

  object(depth: number): JsonNode {
    const start = this.pos;
    this.pos += 1;
    const members: JsonMember[] = [];
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return { type: 'object', start, end: this.pos, members };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail(`${this.describe()}, expected a property name in double quotes`);
      const keyStart = this.pos;
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail(`${this.describe()}, expected ':' after a property name`);
      this.pos += 1;
      members.push({ key, keyStart, value: this.value(depth + 1) });
      this.skipSpace();
      const next = this.text[this.pos];
      if (next !== ',' && next !== '}') this.fail(`${this.describe()}, expected ',' or '}'`);
      this.pos += 1;
      if (next === '}') return { type: 'object', start, end: this.pos, members };
    }
  }

  array(depth: number): JsonNode {
    const start = this.pos;
    this.pos += 1;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return { type: 'array', start, end: this.pos, items };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipSpace();
      const next = this.text[this.pos];
      if (next !== ',' && next !== ']') this.fail(`${this.describe()}, expected ',' or ']'`);
      this.pos += 1;
      if (next === ']') return { type: 'array', start, end: this.pos, items };
    }
  }
}

/** A whole JSON text (whitespace around the value allowed, a UTF-8 BOM too). */
export function parseJsonText(text: string): JsonNode {
  const reader = new Reader(text, text.startsWith('\uFEFF') ? 1 : 0);
  const node = reader.value(0);
  reader.skipSpace();
  if (reader.pos < text.length) reader.fail(`${reader.describe()} after the JSON value`);
  return node;
}

/** The first JSON value of `text` from `start` (leading JSON whitespace skipped); `end` is just after it. */
export function parseJsonPrefix(text: string, start = 0): { node: JsonNode; end: number } {
  const reader = new Reader(text, start);
  const node = reader.value(0);
  return { node, end: reader.pos };
}

/** Sets an own property, even one named `__proto__` (as JSON.parse does). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The plain value of a node, as JSON.parse would give it (later duplicate keys win). */
export function jsonValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const member of node.members) setOwn(out, member.key, jsonValue(member.value));
      return out;
    }
    case 'array':
      return node.items.map(jsonValue);
    default:
      return node.value;
  }
}

/** The member of an object node named `key` (the last one when duplicated, as JSON.parse keeps). */
export function memberOf(node: JsonNode, key: string): JsonMember | undefined {
  if (node.type !== 'object') return undefined;
  for (let i = node.members.length - 1; i >= 0; i--) if (node.members[i]!.key === key) return node.members[i];
  return undefined;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
