/**
 * Typed reads of the pod fields the audit relies on, each with its JSON/YAML path, so a malformed pod list fails
 * with the path of the first bad field (`items[3].status: expected an object, got the number 7`) instead of being
 * read as "no status". Optional fields may be missing or null: Go's JSON encoder writes null for an empty time
 * (`startedAt` of a container that never ran), list or map, so kubectl output has them.
 */
export class PodListError extends Error {
  override name = 'PodListError';
}

export type Obj = Record<string, unknown>;

/** A value and where it sits, e.g. `items[3].status`. */
export interface Field {
  value: unknown;
  path: string;
}

const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/;

export function child(field: Field, key: string): Field {
  const value = isObject(field.value) ? field.value[key] : undefined;
  const step = SIMPLE_KEY.test(key) ? key : `[${JSON.stringify(key)}]`;
  const path = field.path === '' ? step : step.startsWith('[') ? `${field.path}${step}` : `${field.path}.${step}`;
  return { value, path };
}

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a wrong value reads in a message: `the number 7`, `the string "x"`, `a list`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value === '' ? 'an empty string' : `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${String(value)}`;
}

function wrong(field: Field, expected: string): never {
  const where = field.path === '' ? '' : `${field.path}: `;
  if (field.value === undefined) throw new PodListError(`${where}missing (expected ${expected})`);
  throw new PodListError(`${where}expected ${expected}, got ${describeValue(field.value)}`);
}

const absent = (value: unknown): boolean => value === undefined || value === null;

export function requiredObject(field: Field): Obj {
  if (!isObject(field.value)) wrong(field, 'an object');
  return field.value;
}

export function optionalObject(field: Field): Obj | null {
  if (absent(field.value)) return null;
  return requiredObject(field);
}

/** A name the audit keys on: present and not empty. */
export function requiredName(field: Field): string {
  if (typeof field.value !== 'string' || field.value === '') wrong(field, 'a non-empty string');
  return field.value;
}

/** A string that may be missing; '' reads as missing (an imageID before the pull, a pod not yet scheduled). */
export function optionalString(field: Field): string | null {
  if (absent(field.value)) return null;
  if (typeof field.value !== 'string') wrong(field, 'a string');
  return field.value === '' ? null : field.value;
}

export function optionalCount(field: Field): number {
  if (absent(field.value)) return 0;
  if (typeof field.value !== 'number' || !Number.isInteger(field.value) || field.value < 0) wrong(field, 'a whole number');
  return field.value;
}

export function optionalBoolean(field: Field): boolean {
  if (absent(field.value)) return false;
  if (typeof field.value !== 'boolean') wrong(field, 'true or false');
  return field.value;
}

/** The entries of an optional list, each an object (a container, a status, an owner reference). */
export function optionalObjects(field: Field): Field[] {
  if (absent(field.value)) return [];
  if (!Array.isArray(field.value)) wrong(field, 'a list');
  return field.value.map((value: unknown, i) => {
    const entry = { value, path: `${field.path}[${i}]` };
    requiredObject(entry);
    return entry;
  });
}

/** A map of strings (labels): non-string values would make selector matching silently wrong. */
export function optionalStringMap(field: Field): Record<string, string> {
  const object = optionalObject(field);
  const out: Record<string, string> = {};
  for (const key of Object.keys(object ?? {})) {
    const entry = child(field, key);
    if (typeof entry.value !== 'string') wrong(entry, 'a string');
    out[key] = entry.value;
  }
  return out;
}
