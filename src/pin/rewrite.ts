/**
 * The post-renderer's edit: `image: repo:tag` -> `repo:tag@sha256:...` in pod specs, and nothing else.
 * The YAML is not re-serialised: each image scalar's source range is replaced in the original text, in the
 * scalar's own quoting style, so every other byte (comments, `# Source:` lines, key order, indentation) stays.
 */
import { isAlias, isScalar, parseAllDocuments, type Document, type Node } from 'yaml';
import { CONTAINER_LISTS, isObject, podSpecPath, type YamlPath } from '../manifest/pod-specs.js';
import { pinKind } from './images.js';

export interface PinEdit {
  /** The image as rendered. */
  image: string;
  /** Lock key (normalised reference with tag). */
  key: string;
}

export interface RewriteResult {
  text: string;
  pinned: PinEdit[];
  /** Images that need a digest `digestFor` did not give. */
  missing: string[];
  /** Pod-spec image values that are no valid reference. */
  invalid: { image: string; reason: string }[];
}

/** Thrown for input that is not YAML; the post-renderer reports it and fails. */
export class RewriteInputError extends Error {
  override name = 'RewriteInputError';
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

/** Pod-spec image paths of one parsed object (a `List` kind's items too). */
function imagePaths(object: unknown): YamlPath[] {
  if (!isObject(object)) return [];
  const resources: { resource: Record<string, unknown>; base: YamlPath }[] = [];
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
    object.items.forEach((item: unknown, index) => {
      if (isObject(item)) resources.push({ resource: item, base: ['items', index] });
    });
  } else {
    resources.push({ resource: object, base: [] });
  }
  const paths: YamlPath[] = [];
  for (const { resource, base } of resources) {
    const specPath = podSpecPath(resource);
    if (!specPath) continue;
    let spec: unknown = resource;
    for (const key of specPath) spec = isObject(spec) ? spec[key as string] : undefined;
    if (!isObject(spec)) continue;
    for (const { key } of CONTAINER_LISTS) {
      const list = spec[key];
      if (!Array.isArray(list)) continue;
      list.forEach((container: unknown, index) => {
        if (isObject(container) && 'image' in container) paths.push([...base, ...specPath, key, index, 'image']);
      });
    }
  }
  return paths;
}

/** The scalar in its original quoting style (plain stays plain: `@sha256:<hex>` needs no quotes after a plain tag). */
function renderScalar(value: string, type: string | undefined): string {
  if (type === 'PLAIN') return value;
  if (type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}

function spliceFor(doc: Document, path: YamlPath, digestFor: (key: string) => string | undefined, result: RewriteResult): Splice | null {
  const node = doc.getIn(path, true) as Node | undefined;
  if (!node) return null;
  // An alias (`image: *img`): replace the alias itself, so the anchored value elsewhere is untouched.
  const scalar = isAlias(node) ? node.resolve(doc) : node;
  if (!isScalar(scalar)) {
    result.invalid.push({ image: JSON.stringify(doc.getIn(path)), reason: 'not a string' });
    return null;
  }
  const kind = pinKind(scalar.value);
  if (kind.kind === 'digest') return null;
  const image = String(scalar.value);
  if (kind.kind === 'invalid') {
    result.invalid.push({ image, reason: kind.reason });
    return null;
  }
  const digest = digestFor(kind.key);
  if (digest === undefined) {
    if (!result.missing.includes(kind.key)) result.missing.push(kind.key);
    return null;
  }
  const range = node.range;
  if (!range) return null;
  result.pinned.push({ image, key: kind.key });
  const type = isAlias(node) ? 'QUOTE_DOUBLE' : scalar.type;
  return { start: range[0], end: range[1], text: renderScalar(`${image}@${digest}`, type) };
}

/** Pins every pod-spec image of a rendered stream; `digestFor` maps a lock key to its digest. */
export function pinManifest(text: string, digestFor: (key: string) => string | undefined): RewriteResult {
  const result: RewriteResult = { text, pinned: [], missing: [], invalid: [] };
  const parsed = parseAllDocuments(text, { uniqueKeys: false });
  if (!Array.isArray(parsed)) return result; // no documents at all
  const splices: Splice[] = [];
  for (const doc of parsed) {
    const error = doc.errors[0];
    if (error) throw new RewriteInputError(`input is not valid YAML: ${error.message.split('\n')[0]}`);
    const object: unknown = doc.toJS({ maxAliasCount: 1000 });
    for (const path of imagePaths(object)) {
      const splice = spliceFor(doc, path, digestFor, result);
      if (splice) splices.push(splice);
    }
  }
  let out = text;
  for (const splice of splices.sort((a, b) => b.start - a.start)) out = out.slice(0, splice.start) + splice.text + out.slice(splice.end);
  result.text = out;
  return result;
}
