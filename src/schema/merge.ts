/**
 * Merges imageguard's fragment into a chart's values.schema.json without touching what the author wrote.
 * imageguard owns exactly two things, both marked:
 * - `definitions.imageguard` (or `$defs.imageguard` when the file uses `$defs`), whose `$comment` is MARKER;
 * - one `{"$ref": "#/definitions/imageguard"}` element of the root's `allOf` (created when absent). When the root
 *   is itself a `$ref` (cert-manager: `{"$ref": "#/$defs/helm-values"}`), the element goes into the schema it
 *   points to: helm 3 and helm 4 ignore the siblings of a draft-07 `$ref`.
 * Everything else keeps its bytes. A second run with the same inputs gives the same bytes. No
 * `additionalProperties` is ever added, so `global` and subchart values stay valid.
 */
import { UsageError } from '../errors.js';
import { JsonSyntaxError, lineColumn, memberOf, parseJsonText, type JsonNode, type JsonObjectNode } from '../values/json-text.js';
import { OWNED_KEY, type DefinitionsKey, type SchemaObject } from './generate.js';
import { appendItem, detectStyle, removeItem, removeMember, setMember } from './json-edit.js';

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const MAX_REF_HOPS = 32;

/** Parses values.schema.json text; a syntax error is a usage error naming file:line:column. */
export function parseSchemaText(text: string, file: string): JsonObjectNode {
  let node: JsonNode;
  try {
    node = parseJsonText(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const { line, column } = lineColumn(text, error.offset);
    throw new UsageError(`${file}:${line}:${column}: invalid JSON: ${error.message}`);
  }
  if (node.type !== 'object') throw new UsageError(`${file}: a values schema must be a JSON object`);
  return node;
}

/** Which definitions container the file uses (where imageguard's definition lives or will live). */
export function definitionsKeyOf(root: JsonObjectNode): DefinitionsKey {
  for (const key of ['definitions', '$defs'] as const) {
    const container = memberOf(root, key)?.value;
    if (container && memberOf(container, OWNED_KEY)) return key;
  }
  if (memberOf(root, '$defs')?.value.type === 'object' && !memberOf(root, 'definitions')) return '$defs';
  return 'definitions';
}

function ownedRef(key: DefinitionsKey): string {
  return `#/${key}/${OWNED_KEY}`;
}

function pointerTarget(root: JsonNode, pointer: string): JsonNode | undefined {
  if (pointer === '#') return root;
  if (!pointer.startsWith('#/')) return undefined;
  let node: JsonNode | undefined = root;
  for (const raw of pointer.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node?.type === 'object') node = memberOf(node, segment)?.value;
    else if (node?.type === 'array' && /^\d+$/.test(segment)) node = node.items[Number(segment)];
    else return undefined;
  }
  return node;
}

/** The object whose `allOf` applies to the values: the root, or what a root `$ref` chain points to. */
function effectiveRoot(root: JsonObjectNode, file: string): JsonObjectNode {
  let node: JsonNode = root;
  for (let hops = 0; hops < MAX_REF_HOPS; hops++) {
    const ref = node.type === 'object' ? memberOf(node, '$ref')?.value : undefined;
    if (!ref) break;
    if (ref.type !== 'string' || !ref.value.startsWith('#')) {
      throw new UsageError(`${file}: the root $ref ${JSON.stringify(ref.type === 'string' ? ref.value : ref)} points outside the file; imageguard cannot add its constraints`);
    }
    const target = pointerTarget(root, ref.value);
    if (!target) throw new UsageError(`${file}: the root $ref ${JSON.stringify(ref.value)} points at nothing`);
    node = target;
  }
  if (node.type !== 'object') throw new UsageError(`${file}: the schema the root $ref points to is not an object`);
  return node;
}

function ownedIndex(allOf: JsonNode | undefined, ref: string): number {
  if (allOf?.type !== 'array') return -1;
  return allOf.items.findIndex((item) => {
    const value = memberOf(item, '$ref')?.value;
    return value?.type === 'string' && value.value === ref;
  });
}

function checkOwned(root: JsonObjectNode, key: DefinitionsKey, file: string): void {
  const container = memberOf(root, key)?.value;
  const owned = container ? memberOf(container, OWNED_KEY) : undefined;
  if (!owned) return;
  const comment = memberOf(owned.value, '$comment')?.value;
  if (comment?.type !== 'string' || !comment.value.startsWith('imageguard:')) {
    throw new UsageError(`${file}: ${key}.${OWNED_KEY} was not written by imageguard; rename it so that imageguard does not replace it`);
  }
}

/** A new values.schema.json holding only imageguard's part. */
export function newSchemaText(fragment: SchemaObject): string {
  const doc = { $schema: DRAFT_07, allOf: [{ $ref: ownedRef('definitions') }], definitions: { [OWNED_KEY]: fragment } };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * The schema text with imageguard's part set to `fragment` (null removes it). `existing` null means the file does
 * not exist; the result is null when there is nothing to write.
 */
export function mergeSchema(existing: string | null, fragment: SchemaObject | null, file: string): string | null {
  if (existing === null) return fragment === null ? null : newSchemaText(fragment);
  const style = detectStyle(existing);
  let text = existing;
  let root = parseSchemaText(text, file);
  const key = definitionsKeyOf(root);
  checkOwned(root, key, file);
  const ref = ownedRef(key);
  effectiveRoot(root, file);

  if (fragment !== null) {
    // 1. The definition, in the definitions container (created at the end of the root when absent).
    const container = memberOf(root, key)?.value;
    if (container === undefined) text = setMember(text, root, key, { [OWNED_KEY]: fragment }, style);
    else if (container.type === 'object') text = setMember(text, container, OWNED_KEY, fragment, style);
    else throw new UsageError(`${file}: ${key} is not an object`);
    // 2. The allOf reference in the effective root.
    root = parseSchemaText(text, file);
    const target = effectiveRoot(root, file);
    const allOf = memberOf(target, 'allOf')?.value;
    if (ownedIndex(allOf, ref) < 0) {
      if (allOf === undefined) text = setMember(text, target, 'allOf', [{ $ref: ref }], style);
      else if (allOf.type === 'array') text = appendItem(text, allOf, { $ref: ref }, style);
      else throw new UsageError(`${file}: allOf is not an array`);
    }
    return text;
  }

  // No image fields any more: take imageguard's part out, and the containers if they held nothing else.
  const target = effectiveRoot(root, file);
  const allOf = memberOf(target, 'allOf');
  const index = ownedIndex(allOf?.value, ref);
  if (allOf && allOf.value.type === 'array' && index >= 0) {
    text = allOf.value.items.length === 1 ? removeMember(text, target, allOf) : removeItem(text, allOf.value, index);
    root = parseSchemaText(text, file);
  }
  const containerMember = memberOf(root, key);
  const container = containerMember?.value;
  const owned = container ? memberOf(container, OWNED_KEY) : undefined;
  if (containerMember && container?.type === 'object' && owned) {
    text = container.members.length === 1 ? removeMember(text, root, containerMember) : removeMember(text, container, owned);
  }
  return text;
}

/** imageguard's current fragment in a schema text, or null. */
export function ownedFragment(text: string, file: string): unknown {
  const root = parseSchemaText(text, file);
  const container = memberOf(root, definitionsKeyOf(root))?.value;
  const owned = container ? memberOf(container, OWNED_KEY) : undefined;
  return owned ? JSON.parse(text.slice(owned.value.start, owned.value.end)) : null;
}
