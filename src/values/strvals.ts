/**
 * Helm's `--set` family parser (helm.sh/helm pkg/strvals, parser.go and literal_parser.go), ported statement by
 * statement so that a flag means here exactly what it means to helm: `a.b=c,d[0]=e`, `\,` `\.` `\=` `\[`
 * escapes (a backslash takes the next character literally), `{x,y}` lists, `null`/`true`/`false` in any case,
 * int64 numbers (`1.5`, `010` and `1e3` stay strings), list indexes that grow a list with nulls, and the same
 * errors. test/e2e/validate-set-differential.test.ts compares it with helm 3.17 and 4.1 on a probe chart.
 *
 * Where helm 3.17 and 4.1 differ (as seen with the real binaries, 2026-11), `dialect` picks one:
 * - an index cut short (`a[0`): helm 3 fails with "error parsing index: EOF"; helm 4 ignores the rest of the flag
 *   (it compares errors with errors.Is, which sees the wrapped io.EOF).
 *
 * Parsing writes into `data` (helm parses every flag into the map built from the -f files, so `--set list[1]=x`
 * edits a list that a values file set). `onSet` hears every value written, with its path.
 */

import { JsonSyntaxError, jsonValue, parseJsonPrefix, setOwn } from './json-text.js';
import type { Tree } from './tree.js';
import type { ValuesPath } from './types.js';

export type StrvalsMode = 'set' | 'set-string' | 'set-json' | 'set-file' | 'set-literal';
export type HelmDialect = 3 | 4;

export class StrvalsError extends Error {
  constructor(
    message: string,
    /** The error wraps io.EOF (helm 4 then treats it as the end of the input). */
    readonly wrapsEof = false,
  ) {
    super(message);
    this.name = 'StrvalsError';
  }
}

export interface StrvalsOptions {
  dialect: HelmDialect;
  /** --set-file: the file's content for a path (throw to fail). */
  readFile?: (path: string) => string;
  onSet?: (path: ValuesPath, value: unknown, piece: string) => void;
}

const EOF = Symbol('EOF');
const NOT_LIST = Symbol('not a list');
type Failure = typeof EOF | typeof NOT_LIST | StrvalsError;
type Result<T> = [T, Failure | null];

/** MaxIndex and MaxNestedNameLevel of pkg/strvals. */
const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const KEY_STOP = new Set(['=', '[', ',', '.']);
const LITERAL_KEY_STOP = new Set(['=', '[', '.']);
const LIST_ITEM_STOP = new Set(['[', '.', '=']);
const INDEX_STOP = new Set([']']);
const VALUE_STOP = new Set([',']);
const LIST_STOP = new Set([',', '}']);
// Go's unicode.IsSpace.
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]$/u;

/** A Go type assertion that failed: helm recovers these in key() as "unable to parse key: ...". */
class Panic extends Error {}

function isMap(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function goType(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (Array.isArray(value)) return '[]interface {}';
  if (typeof value === 'object') return 'map[string]interface {}';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return 'string';
}

function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw new Panic(`interface conversion: interface {} is ${goType(value)}, not []interface {}`);
}

function asMap(value: unknown): Tree {
  if (isMap(value)) return value;
  throw new Panic(`interface conversion: interface {} is ${goType(value)}, not map[string]interface {}`);
}

/** strings.EqualFold for the ASCII words helm compares with (the only non-ASCII fold among them is ſ for s). */
function equalFold(value: string, word: string): boolean {
  return value.length === word.length && value.toLowerCase().replace(/\u017f/g, 's') === word;
}

/** strconv.ParseInt(s, 10, 64) / strconv.Atoi: optional sign, ASCII digits, int64 range. */
function parseInt64(text: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(text)) return null;
  const big = BigInt(text.startsWith('+') ? text.slice(1) : text);
  return big < INT64_MIN || big > INT64_MAX ? null : Number(big);
}

/** typedVal: --set turns true/false/null and int64 numbers into typed values; --set-string never does. */
export function typedValue(value: string, asString: boolean): unknown {
  if (asString) return value;
  if (equalFold(value, 'true')) return true;
  if (equalFold(value, 'false')) return false;
  if (equalFold(value, 'null')) return null;
  if (value === '0') return 0;
  if (value.length !== 0 && value[0] !== '0') {
    const number = parseInt64(value);
    if (number !== null) return number;
  }
  return value;
}

function setKey(data: Tree, key: string, value: unknown): void {
  if (key.length === 0) return; // helm: "If key is empty, don't set it."
  setOwn(data, key, value);
}

function setIndex(list: unknown[], index: number, value: unknown): Result<unknown[]> {
  if (index < 0) return [list, new StrvalsError(`negative ${index} index not allowed`)];
  if (index > MAX_INDEX) return [list, new StrvalsError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`)];
  let out = list;
  if (out.length <= index) {
    // Go makes a new slice when it grows (the old one stays as it was).
    out = [...list];
    while (out.length <= index) out.push(null);
  }
  out[index] = value;
  return [out, null];
}

export class StrvalsParser {
  private readonly chars: string[];
  private pos = 0;
  private pieceEvents: { path: ValuesPath; value: unknown }[] = [];

  constructor(
    text: string,
    private readonly data: Tree,
    private readonly mode: StrvalsMode,
    private readonly options: StrvalsOptions,
  ) {
    this.chars = Array.from(text);
  }

  /** Parses the whole argument into `data`; throws StrvalsError where helm fails. */
  parse(): void {
    for (;;) {
      const start = this.pos;
      this.pieceEvents = [];
      const err = this.key(this.data, 0, []);
      const piece = this.chars.slice(start, this.pos).join('').replace(/,$/, '');
      for (const event of this.pieceEvents) this.options.onSet?.(event.path, event.value, piece);
      if (err === null) continue;
      if (err === EOF || (this.options.dialect === 4 && err instanceof StrvalsError && err.wrapsEof)) return;
      throw err instanceof StrvalsError ? err : new StrvalsError(String(err.description));
    }
  }

  private emit(path: ValuesPath, value: unknown): void {
    this.pieceEvents.push({ path, value });
  }

  private read(): string | undefined {
    if (this.pos >= this.chars.length) return undefined;
    return this.chars[this.pos++];
  }

  private unread(): void {
    this.pos -= 1;
  }

  private rest(): string {
    return this.chars.slice(this.pos).join('');
  }

  /** runesUntil (runesUntilLiteral without escapes): the text up to a stop character, and that character. */
  private until(stop: ReadonlySet<string>): { text: string; last: string | null } {
    const escapes = this.mode !== 'set-literal';
    let text = '';
    for (;;) {
      const char = this.read();
      if (char === undefined) return { text, last: null };
      if (stop.has(char)) return { text, last: char };
      if (escapes && char === '\\') {
        const next = this.read();
        if (next === undefined) return { text, last: null };
        text += next;
      } else {
        text += char;
      }
    }
  }

  private key(data: Tree, level: number, path: ValuesPath): Failure | null {
    try {
      return this.keyBody(data, level, path);
    } catch (error) {
      if (error instanceof Panic) return new StrvalsError(`unable to parse key: ${error.message}`);
      throw error;
    }
  }

  private keyBody(data: Tree, level: number, path: ValuesPath): Failure | null {
    const { text: key, last } = this.until(this.mode === 'set-literal' ? LITERAL_KEY_STOP : KEY_STOP);
    if (last === null) return key.length === 0 ? EOF : new StrvalsError(`key ${JSON.stringify(key)} has no value`);
    const here = [...path, key];
    switch (last) {
      case '[': {
        const [index, indexErr] = this.keyIndex();
        if (indexErr) return indexErr;
        let list: unknown[] = [];
        if (Object.hasOwn(data, key)) list = asList(data[key]);
        const [next, err] = this.listItem(list, index, level, here);
        setKey(data, key, next);
        return err;
      }
      case '=':
        return this.assign((value) => setKey(data, key, value), here);
      case ',':
        setKey(data, key, '');
        return new StrvalsError(`key ${JSON.stringify(key)} has no value (cannot end with ,)`);
      default: {
        // '.'
        const nested = level + 1;
        if (nested > MAX_NESTED_NAME_LEVEL) {
          return new StrvalsError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        }
        let inner: Tree = {};
        if (Object.hasOwn(data, key)) inner = asMap(data[key]);
        const err = this.key(inner, nested, here);
        const empty = Object.keys(inner).length === 0;
        if (err === null && empty) return new StrvalsError(`key map ${JSON.stringify(key)} has no value`);
        if (!empty) setKey(data, key, inner);
        return err;
      }
    }
  }

  /** The value after `key=`: helm's case '=' of key(). */
  private assign(store: (value: unknown) => void, path: ValuesPath): Failure | null {
    const set = (value: unknown): void => {
      store(value);
      this.emit(path, value);
    };
    if (this.mode === 'set-literal') {
      set(this.rest());
      this.pos = this.chars.length;
      return null;
    }
    if (this.mode === 'set-json') {
      const [value, err] = this.jsonValue();
      if (err) return err;
      set(value);
      this.emptyValue();
      return null;
    }
    const [list, err] = this.valueList();
    if (err === null) {
      set(list);
      return null;
    }
    if (err === EOF) {
      set('');
      return err;
    }
    if (err === NOT_LIST) {
      const { text } = this.until(VALUE_STOP);
      const [value, readErr] = this.reader(text);
      set(value);
      return readErr;
    }
    return err;
  }

  /** --set-json: an empty value is null; else one JSON value (Go's json.Decoder), then blanks and a comma. */
  private jsonValue(): Result<unknown> {
    if (this.emptyValue()) return [null, null];
    const rest = this.rest();
    try {
      const { node, end } = parseJsonPrefix(rest, 0);
      this.pos += Array.from(rest.slice(0, end)).length;
      return [jsonValue(node), null];
    } catch (error) {
      if (error instanceof JsonSyntaxError) return [null, new StrvalsError(error.message)];
      throw error;
    }
  }

  /** emptyVal: consumes spaces up to a comma or the end (true), else stops before the next character (false). */
  private emptyValue(): boolean {
    for (;;) {
      const char = this.read();
      if (char === undefined || char === ',') return true;
      if (!GO_SPACE.test(char)) {
        this.unread();
        return false;
      }
    }
  }

  private reader(text: string): Result<unknown> {
    if (this.mode === 'set-file') {
      try {
        return [(this.options.readFile ?? ((path: string) => path))(text), null];
      } catch (error) {
        return [null, new StrvalsError((error as Error).message)];
      }
    }
    return [typedValue(text, this.mode === 'set-string'), null];
  }

  private valueList(): Result<unknown[]> {
    const first = this.read();
    if (first === undefined) return [[], EOF];
    if (first !== '{') {
      this.unread();
      return [[], NOT_LIST];
    }
    const list: unknown[] = [];
    for (;;) {
      const { text, last } = this.until(LIST_STOP);
      if (last === null) return [list, new StrvalsError("list must terminate with '}'")];
      if (last === '}') {
        const next = this.read();
        if (next !== undefined && next !== ',') this.unread();
        const [value, err] = this.reader(text);
        list.push(value);
        return [list, err];
      }
      const [value, err] = this.reader(text);
      if (err) return [list, err];
      list.push(value);
    }
  }

  private keyIndex(): Result<number> {
    const { text, last } = this.until(INDEX_STOP);
    if (last === null) return [0, new StrvalsError('error parsing index: EOF', true)];
    const index = parseInt64(text);
    if (index === null) return [0, new StrvalsError(`error parsing index: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`)];
    return [index, null];
  }

  private listItem(list: unknown[], index: number, level: number, path: ValuesPath): Result<unknown[]> {
    if (index < 0) return [list, new StrvalsError(`negative ${index} index not allowed`)];
    const here = [...path, index];
    const { text, last } = this.until(LIST_ITEM_STOP);
    if (text.length > 0) return [list, new StrvalsError(`unexpected data at end of array index: ${JSON.stringify(text)}`)];
    if (last === null) return [list, EOF];
    switch (last) {
      case '=':
        return this.assignIndex(list, index, here);
      case '[': {
        const [next, indexErr] = this.keyIndex();
        if (indexErr) return [list, indexErr];
        let current: unknown[] = [];
        if (list.length > index && list[index] !== null && list[index] !== undefined) current = asList(list[index]);
        const [inner, err] = this.listItem(current, next, level, here);
        if (err) return [list, err];
        return setIndex(list, index, inner);
      }
      default: {
        // '.': a map inside the list; a non-map there is replaced (helm: "indices out of order").
        let inner: Tree = {};
        if (list.length > index) {
          if (isMap(list[index])) inner = list[index] as Tree;
          else list[index] = inner;
        }
        const err = this.key(inner, level, here);
        if (err) return [list, err];
        return setIndex(list, index, inner);
      }
    }
  }

  /** The value after `name[i]=`: helm's case '=' of listItem(). */
  private assignIndex(list: unknown[], index: number, path: ValuesPath): Result<unknown[]> {
    const set = (value: unknown): Result<unknown[]> => {
      const result = setIndex(list, index, value);
      if (result[1] === null) this.emit(path, value);
      return result;
    };
    if (this.mode === 'set-literal') {
      const value = this.rest();
      this.pos = this.chars.length;
      return set(value);
    }
    if (this.mode === 'set-json') {
      const [value, err] = this.jsonValue();
      if (err) return [list, err];
      const result = set(value);
      if (result[1]) return result;
      this.emptyValue();
      return result;
    }
    const [values, err] = this.valueList();
    if (err === null) return set(values);
    if (err === EOF) return set('');
    if (err === NOT_LIST) {
      const { text } = this.until(VALUE_STOP);
      const [value, readErr] = this.reader(text);
      if (readErr) return [list, readErr];
      return set(value);
    }
    return [list, err];
  }
}

/** Parses one flag argument into `data` like helm's strvals.Parse*Into; throws StrvalsError where helm fails. */
export function parseStrvalsInto(mode: StrvalsMode, argument: string, data: Tree, options: StrvalsOptions): void {
  new StrvalsParser(argument, data, mode, options).parse();
}
