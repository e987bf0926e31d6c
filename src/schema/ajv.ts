/**
 * Compiles a chart's values.schema.json with ajv so that it judges values as helm does:
 * - the draft comes from `$schema` (2019-09, 2020-12; anything else, or none, as draft-07, which is what helm 3
 *   uses and what imageguard writes); draft-04's boolean exclusiveMinimum/Maximum and `id` are translated;
 * - in drafts up to 07 the siblings of `$ref` are ignored, as helm 3 and helm 4 do (ajv would apply them);
 * - patterns are Go RE2 to helm: `(?i)`, `(?s)` and `(?P<name>` are translated, and a pattern JavaScript cannot
 *   read without the `u` flag is tried without it;
 * - `format` is not checked (no ajv-formats; helm 4 treats it as an annotation in 2020-12);
 * - unknown keywords are ignored (Bitnami's `form`, `hidden`), as both helms do.
 */
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import type { Ajv2019 } from 'ajv/dist/2019.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import bundledStandalone from 'ajv/dist/standalone/index.js';
import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';
import { loadCachedCheck, RE2_MODULE, schemaCacheDir, schemaCacheFile, storeCachedCheck, type CheckValues } from './compiled-cache.js';

// The 2019-09 and 2020-12 builds of ajv load only for schemas that ask for them (start-up time).
const require = createRequire(import.meta.url);
const ajv2019 = (): typeof Ajv2019 => (require('ajv/dist/2019.js') as { Ajv2019: typeof Ajv2019 }).Ajv2019;
const ajv2020 = (): typeof Ajv2020 => (require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

// Keywords whose value is a schema, a list of schemas, or a map of schemas (the places a walk must go).
const SCHEMA_KEYWORDS = ['not', 'if', 'then', 'else', 'items', 'additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties'];
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependencies', 'dependentSchemas'];
const KEPT_NEXT_TO_REF = new Set(['$ref', '$id', 'id', 'definitions', '$defs', '$comment']);

/** Visits every subschema (depth-first), letting `visit` rewrite each object in place. */
function walk(schema: unknown, visit: (node: Json) => void, depth = 0): void {
  if (!isObject(schema) || depth > 200) return;
  visit(schema);
  for (const key of SCHEMA_KEYWORDS) if (isObject(schema[key])) walk(schema[key], visit, depth + 1);
  for (const key of SCHEMA_LIST_KEYWORDS) {
    const list = schema[key];
    if (Array.isArray(list)) for (const item of list) walk(item, visit, depth + 1);
  }
  for (const key of SCHEMA_MAP_KEYWORDS) {
    const map = schema[key];
    if (isObject(map)) for (const value of Object.values(map)) walk(value, visit, depth + 1);
  }
}

type Draft = '04' | '06' | '07' | '2019-09' | '2020-12';

function draftOf(schema: Json): Draft {
  const uri = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (uri.includes('2020-12')) return '2020-12';
  if (uri.includes('2019-09')) return '2019-09';
  if (uri.includes('draft-04')) return '04';
  if (uri.includes('draft-06')) return '06';
  return '07';
}

function toAjvSchema(original: Json): { schema: Json; draft: Draft } {
  const schema = structuredClone(original);
  const draft = draftOf(schema);
  delete schema.$schema;
  walk(schema, (node) => {
    if (draft === '04') {
      if (typeof node.id === 'string' && node.$id === undefined) node.$id = node.id;
      delete node.id;
      for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
        if (node[flag] === true && typeof node[bound] === 'number') {
          node[flag] = node[bound];
          delete node[bound];
        } else if (typeof node[flag] === 'boolean') delete node[flag];
      }
    }
    if (typeof node.$ref === 'string' && (draft === '04' || draft === '06' || draft === '07')) {
      for (const key of Object.keys(node)) if (!KEPT_NEXT_TO_REF.has(key)) delete node[key];
    }
  });
  return { schema, draft };
}

/** RE2 -> JavaScript for the constructs charts use; JavaScript's own reading first. */
export function compileRe2(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch {
    let source = pattern.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$');
    let extra = '';
    const inline = /^\(\?([is]+)\)/.exec(source);
    if (inline) {
      extra = inline[1]!;
      source = source.slice(inline[0].length);
    }
    for (const candidate of [`${flags}${extra}`, extra]) {
      try {
        return new RegExp(source, [...new Set(candidate)].join(''));
      } catch {
        // next
      }
    }
    throw new UsageError(`the schema's pattern ${JSON.stringify(pattern)} cannot be read as a regular expression`);
  }
}

// ajv calls this for every pattern; the standalone code it writes for the cache (compiled-cache.ts) requires it.
const regExp = Object.assign((pattern: string, flags: string) => compileRe2(pattern, flags), { code: `require(${JSON.stringify(RE2_MODULE)}).compileRe2` });

const OPTIONS: Options = {
  strict: false,
  allErrors: true,
  verbose: true,
  validateSchema: false,
  validateFormats: false,
  logger: false,
  // One validation per compile: ajv's code optimisation costs more than it saves (cert-manager: 2-3x faster compile).
  code: { regExp, optimize: false, source: true },
};

export interface FullValidator {
  validate: ValidateFunction;
  /**
   * The schema objects of imageguard's own part, as ajv reports them in `parentSchema`: the name of the
   * definition they belong to, `else` inside a digest-or-tag condition, '' elsewhere.
   */
  owned: Map<object, string>;
}

export interface CompiledSchema {
  /** True when the values pass: the cached standalone check when there is one, else ajv's validator. */
  accepts: CheckValues;
  /** ajv's validator with every error and its schema (compiled on first use when the check came from the cache). */
  full(): FullValidator;
}

function ownedNodes(prepared: Json, ownedKey: string): Map<object, string> {
  const owned = new Map<object, string>();
  const mark = (value: unknown, role: string): void => {
    if (Array.isArray(value)) value.forEach((item) => mark(item, role));
    else if (isObject(value)) {
      owned.set(value, role);
      for (const [key, child] of Object.entries(value)) mark(child, key === 'else' ? 'else' : role);
    }
  };
  for (const container of ['definitions', '$defs']) {
    const fragment = isObject(prepared[container]) ? (prepared[container] as Json)[ownedKey] : undefined;
    if (!isObject(fragment)) continue;
    mark(fragment, '');
    for (const key of ['definitions', '$defs']) {
      const definitions = fragment[key];
      if (isObject(definitions)) for (const [name, definition] of Object.entries(definitions)) mark(definition, name);
    }
  }
  return owned;
}

type Standalone = (ajv: Ajv | Ajv2019 | Ajv2020, validate: ValidateFunction) => string;

/**
 * ajv's standalone writer from the same copy of ajv as the instance: it tests code fragments with `instanceof`,
 * and the bundle holds its own copy of ajv's core next to node_modules' (which the 2019/2020 builds come from).
 */
function standaloneFor(draft: Draft): Standalone {
  if (draft === '2019-09' || draft === '2020-12') return (require('ajv/dist/standalone/index.js') as { default: Standalone }).default;
  return (bundledStandalone as unknown as { default: Standalone }).default;
}

function compileFull(prepared: Json, draft: Draft, file: string, ownedKey: string): { full: FullValidator; code: string } {
  const ajv = draft === '2020-12' ? new (ajv2020())(OPTIONS) : draft === '2019-09' ? new (ajv2019())(OPTIONS) : new Ajv(OPTIONS);
  try {
    const validate = ajv.compile(prepared);
    return { full: { validate, owned: ownedNodes(prepared, ownedKey) }, code: standaloneFor(draft)(ajv, validate) };
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${file}: ${error.message}`);
    throw new UsageError(`${file}: cannot use this schema: ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * A validator for values against a chart's schema; a schema ajv cannot use is a usage error naming the file.
 * `cacheDir` holds compiled schemas (compiled-cache.ts); null compiles every time.
 */
export function compileValuesSchema(schema: unknown, file: string, ownedKey = 'imageguard', cacheDir = schemaCacheDir(process.env)): CompiledSchema {
  if (!isObject(schema)) throw new UsageError(`${file}: a values schema must be a JSON object`);
  const { schema: prepared, draft } = toAjvSchema(schema);
  const cacheFile = cacheDir === null ? null : schemaCacheFile(cacheDir, draft, prepared);
  const cached = cacheFile === null ? null : loadCachedCheck(cacheFile, compileRe2);
  if (cached) {
    let full: FullValidator | undefined;
    return { accepts: cached, full: () => (full ??= compileFull(prepared, draft, file, ownedKey).full) };
  }
  const { full, code } = compileFull(prepared, draft, file, ownedKey);
  if (cacheFile !== null) storeCachedCheck(cacheFile, code);
  return { accepts: (values) => full.validate(values), full: () => full };
}
