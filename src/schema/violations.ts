/**
 * ajv errors -> one readable violation per problem, located at the values line (or flag) that set the value.
 * Errors from imageguard's own definitions get words about images ("is a mutable tag"); the author's constraints
 * keep ajv's wording. Wrapper errors (`if`, `anyOf` around imageguard's numeric-tag allowance) are dropped when a
 * more precise error names the same value.
 */
import type { ErrorObject } from 'ajv';
import type { HelmValueOrigin } from '../values/helm-values.js';
import { getIn } from '../values/tree.js';
import { formatValuesPath, pathKey, type ValuesPath } from '../values/types.js';
import type { CompiledSchema } from './ajv.js';

export interface Violation {
  /** Full values path (from the root chart's values). */
  path: ValuesPath;
  value: unknown;
  keyword: string;
  message: string;
  /** Where the value came from; undefined when nothing set it (a missing required key with no parent). */
  origin: HelmValueOrigin | undefined;
  /** The schema file that refused it. */
  schema: string;
  /** True when the constraint is imageguard's. */
  imageguard: boolean;
}

const WRAPPERS = new Set(['if', 'anyOf', 'oneOf', 'allOf']);

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'a list' : 'a mapping';
}

function pointerPath(pointer: string, data: unknown): ValuesPath {
  const path: (string | number)[] = [];
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path.push(Array.isArray(getIn(data, path)) && /^\d+$/.test(segment) ? Number(segment) : segment);
  }
  return path;
}

/** imageguard's words for an error of its own part (`role` from CompiledSchema.owned); null when not its own. */
function ownMessage(error: ErrorObject, value: unknown, role: string | undefined): string | null {
  if (role === undefined) return null;
  const params = error.params as Record<string, unknown>;
  if (role === 'else') return 'the tag is empty and no digest is set';
  if (error.keyword === 'required') {
    const missing = String(params.missingProperty);
    return missing === 'tag' ? 'has no image tag' : `has no ${missing} (--require-digest)`;
  }
  switch (role) {
    case 'tag':
    case 'tagOrEmpty':
      if (error.keyword === 'not') return `${show(value)} is a mutable tag: pin a version or a digest`;
      if (error.keyword === 'type' && typeof value === 'number') {
        return `${value} is a number, not a tag: quote it in YAML ("${value}") or use --set-string`;
      }
      if (error.keyword === 'type') return `must be a tag string (got ${show(value)})`;
      return value === '' ? 'the tag is empty' : `${show(value)} is not a valid image tag`;
    case 'digest':
    case 'digestRequired':
      return `${show(value)} is not an image digest (sha256:<64 hex>)`;
    case 'sha':
    case 'shaRequired':
      return `${show(value)} is not a sha256 digest (64 hex characters)`;
    case 'image':
      if (error.keyword === 'not') return `${show(value)} uses a mutable tag: pin a version or a digest`;
      return `${show(value)} has no tag or digest (the runtime pulls latest)`;
    case 'imageDigest':
      return `${show(value)} is not pinned by digest (--require-digest)`;
    default:
      return error.keyword === 'type' && typeof value === 'number' ? `${value} is a number, not a tag` : null;
  }
}

function authorMessage(error: ErrorObject, value: unknown): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `must have required property '${String(params.missingProperty)}'`;
    case 'additionalProperties':
      return 'is not allowed here (additionalProperties)';
    case 'enum':
      return `${show(value)} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${show(value)} must be ${String(params.type)}`;
    case 'not':
      return `${show(value)} must not match the schema (not)`;
    default:
      return `${show(value)} ${error.message ?? 'is invalid'}`;
  }
}

/**
 * Validates `values` (the values of the chart at `prefix`, whose paths the origins use) and explains each error.
 * `origins` are keyed by the full path.
 */
export function violations(
  compiled: CompiledSchema,
  values: unknown,
  prefix: ValuesPath,
  origins: ReadonlyMap<string, HelmValueOrigin>,
  schema: string,
): Violation[] {
  if (compiled.accepts(values)) return [];
  const { validate, owned } = compiled.full();
  validate(values);
  const errors = validate.errors ?? [];
  const located = errors.map((error) => {
    let path = pointerPath(error.instancePath, values);
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'additionalProperties') path = [...path, String(params.additionalProperty)];
    if (error.keyword === 'required') path = [...path, String(params.missingProperty)];
    const value = getIn(values, path);
    const own = ownMessage(error, value, owned.get(error.parentSchema as object));
    return { error, path, value, own };
  });
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const { error, path, value, own } of located) {
    const key = pathKey(path);
    const samePath = located.filter((other) => pathKey(other.path) === key);
    // Prefer imageguard's words, then the author's precise errors; wrappers only when alone.
    if (own === null && samePath.some((other) => other.own !== null)) continue;
    if (WRAPPERS.has(error.keyword) && located.some((other) => !WRAPPERS.has(other.error.keyword) && startsWith(other.path, path))) continue;
    const message = own ?? authorMessage(error, value);
    const id = `${key}\u0001${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const full = [...prefix, ...path];
    out.push({ path: full, value, keyword: error.keyword, message, origin: originFor(full, origins), schema, imageguard: own !== null });
  }
  return out;
}

function startsWith(path: ValuesPath, prefix: ValuesPath): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => path[i] === key);
}

/** The origin of a path, or of its nearest ancestor that has one. */
function originFor(path: ValuesPath, origins: ReadonlyMap<string, HelmValueOrigin>): HelmValueOrigin | undefined {
  for (let length = path.length; length > 0; length--) {
    const origin = origins.get(pathKey(path.slice(0, length)));
    if (origin) return length === path.length ? origin : { ...origin, path: formatValuesPath(path) };
  }
  return undefined;
}
