/**
 * Checks a parsed `.imageguard.yaml` against schemas/config.schema.json (ajv) plus the rules a JSON schema
 * cannot say (real dates, shorthand conflicts), and turns each failure into one short, located problem.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import { PACKAGE_ROOT } from '../package-root.js';
import type { RuleSeverity } from '../rules/types.js';

/** The file's shape once the schema accepts it. */
export interface RawIgnoreEntry {
  image?: string;
  rule?: string;
  resource?: string;
  reason: string;
  expires?: string;
}
export interface RawConfig {
  rules?: Record<string, RuleSeverity>;
  mutableTags?: string[] | { add?: string[]; replace?: string[] };
  floating?: RuleSeverity;
  requireDigest?: boolean;
  ignore?: RawIgnoreEntry[];
}

export interface Problem {
  line: number | null;
  /** Path inside the file as the user would write it: `ignore[1].reason`; '' for the top level. */
  path: string;
  message: string;
}

/** 1-based line of the node at `path` (segments as in a JSON pointer), or of its key with `key`. */
export type Locator = (path: readonly string[], key?: boolean) => number | null;

// `schemas` ships in the package, next to dist/.
const SCHEMA_FILE = join(PACKAGE_ROOT, 'schemas', 'config.schema.json');
const IGNORE_ANYOF = '#/definitions/ignoreEntry/anyOf';
const MUTABLE_TAGS_ANYOF = '#/properties/mutableTags/anyOf';

let compiled: ValidateFunction<RawConfig> | null = null;
function validator(): ValidateFunction<RawConfig> {
  // Compiled on first use: commands that never read a config do not pay for ajv.
  compiled ??= new Ajv({ allErrors: true, verbose: true }).compile<RawConfig>(
    JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object,
  );
  return compiled;
}

export function makeLocator(doc: Document, counter: LineCounter): Locator {
  return (path, key = false) => {
    let node: unknown = doc.contents;
    let line: number | null = null;
    const lineOf = (n: unknown): number | null => {
      const range = (n as { range?: [number, number, number] } | null)?.range;
      return range ? counter.linePos(range[0]).line : null;
    };
    for (const [i, segment] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === segment);
        if (!pair) return line;
        line = lineOf(pair.key) ?? line;
        if (key && i === path.length - 1) return line;
        node = pair.value;
      } else if (isSeq(node)) {
        node = node.items[Number(segment)];
      } else return line;
      line = lineOf(node) ?? line;
    }
    return line ?? lineOf(node);
  };
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** `ignore[1].reason` rather than `/ignore/1/reason`. */
function displayPath(data: unknown, path: readonly string[]): string {
  return path.reduce((out, segment, i) => {
    if (Array.isArray(valueAt(data, path.slice(0, i)))) return `${out}[${segment}]`;
    return out === '' ? segment : `${out}.${segment}`;
  }, '');
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

/** Why a mutable tag glob may hold one `*` only (schemas/config.schema.json says the same). */
export const ONE_STAR = 'a mutable tag glob may hold at most one * (imageguard schema makes a regular expression of it, and several stars can make it run for hours on a long value)';

const SEVERITY_VALUES: readonly string[] = ['error', 'warning', 'info', 'off'];
const TYPE_WORDS: Record<string, string> = { boolean: 'true or false', array: 'a list', object: 'a mapping', string: 'a string' };

/** One ajv error -> a located problem, or null when another error already says it better. */
function translate(error: ErrorObject, data: unknown, locate: Locator, anyOfPaths: Set<string>): Problem | null {
  const path = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const value = valueAt(data, path);
  const last = path[path.length - 1];
  const problem = (message: string, at: readonly string[] = path, key = false): Problem => ({
    line: locate(at, key),
    path: displayPath(data, at),
    message,
  });
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'propertyNames':
      return null; // its inner `enum` error carries the offending name
    case 'anyOf':
      if (error.schemaPath === IGNORE_ANYOF) {
        return problem('needs at least one of image, rule or resource (an entry with only a reason would ignore everything)');
      }
      // Array or mapping: the matching branch's own errors are precise; only a wrong shape needs this one.
      if (error.schemaPath === MUTABLE_TAGS_ANYOF && value !== null && typeof value === 'object') return null;
      return problem(`must be a list of tags or a mapping with add and/or replace (got ${describe(value)})`);
    case 'type':
      if (anyOfPaths.has(error.instancePath)) return null; // a non-matching anyOf branch
      return problem(`must be ${TYPE_WORDS[String(params.type)] ?? String(params.type)} (got ${describe(value)})`);
    case 'required': {
      const missing = String(params.missingProperty);
      const hint = missing === 'reason' ? ' (every ignore entry needs a reason)' : '';
      return problem(`must have required property '${missing}'${hint}`);
    }
    case 'additionalProperties': {
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return problem(`unknown key (known: ${known.join(', ')})`, [...path, String(params.additionalProperty)], true);
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String).join(', ');
      if (error.propertyName !== undefined) {
        const what = last === 'rules' ? 'rule id' : 'key';
        return problem(`unknown ${what} (known: ${allowed})`, [...path, error.propertyName], true);
      }
      if (last === 'rule') return problem(`unknown rule id ${describe(value)} (known: ${allowed})`);
      return problem(`must be one of ${allowed} (got ${describe(value)})`);
    }
    case 'minLength':
      return problem('must not be empty');
    case 'pattern':
      if (last === 'reason') return problem('must not be blank: say why the exemption is acceptable');
      if (last === 'expires') return problem(`must be a date YYYY-MM-DD (got ${describe(value)})`);
      if (path[0] === 'mutableTags') return problem(`${describe(value)}: ${ONE_STAR}`);
      return problem(error.message ?? 'is invalid');
    default:
      return problem(error.message ?? 'is invalid');
  }
}

export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** What the schema cannot express; only looks at values of the right type (the schema reports the rest). */
function semanticProblems(data: Record<string, unknown>, locate: Locator): Problem[] {
  const problems: Problem[] = [];
  const ignore = Array.isArray(data.ignore) ? (data.ignore as unknown[]) : [];
  ignore.forEach((entry, i) => {
    const expires = (entry as { expires?: unknown } | null)?.expires;
    if (typeof expires === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(expires) && !isRealDate(expires)) {
      const at = ['ignore', String(i), 'expires'];
      problems.push({ line: locate(at), path: `ignore[${i}]`, message: `expires "${expires}" is not a real date` });
    }
  });
  const rules = (data.rules !== null && typeof data.rules === 'object' ? data.rules : {}) as Record<string, unknown>;
  const shorthand = (key: string, ruleId: string, severity: unknown): void => {
    const explicit = rules[ruleId];
    // Only two valid values can conflict; a bad value is already reported by the schema.
    if (!SEVERITY_VALUES.includes(String(severity)) || !SEVERITY_VALUES.includes(String(explicit))) return;
    if (severity === explicit) return;
    problems.push({
      line: locate([key], true),
      path: key,
      message: `${JSON.stringify(data[key])} conflicts with rules.${ruleId}: ${JSON.stringify(explicit)} (${key} is shorthand for that rule; keep one)`,
    });
  };
  shorthand('floating', 'no-floating-tag', data.floating);
  if (typeof data.requireDigest === 'boolean') shorthand('requireDigest', 'require-digest', data.requireDigest ? 'error' : 'off');
  return problems;
}

/** Every problem with the file, sorted by line; empty means `data` is a valid RawConfig. */
export function checkConfig(data: Record<string, unknown>, locate: Locator): Problem[] {
  const validate = validator();
  const errors = validate(data) ? [] : (validate.errors ?? []);
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const problems = errors
    .filter((e) => !e.schemaPath.startsWith(`${IGNORE_ANYOF}/`)) // the anyOf error itself explains these
    .map((e) => translate(e, data, locate, anyOfPaths))
    .filter((p): p is Problem => p !== null);
  problems.push(...semanticProblems(data, locate));
  return problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}
