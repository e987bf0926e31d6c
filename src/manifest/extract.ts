import type { ContainerType, ImageUse, ManifestDocument, ResourceRef } from './types.js';
import { CONTAINER_LISTS, getPath, isObject, podSpecPath, type YamlPath } from './pod-specs.js';

export interface ExtractOptions {
  /** Namespace for resources that set none (helm's -n / HELM_NAMESPACE); null when unknown. */
  defaultNamespace: string | null;
  /** Decides whether a string in a field named `image` outside a pod spec is an image reference. */
  isImageReference: (value: string) => boolean;
}

// Kinds whose `image` keys are data or schema, not images the cluster will pull.
const SKIP_OTHER_IMAGES = new Set(['CustomResourceDefinition', 'ConfigMap', 'Secret']);
const MAX_WALK_DEPTH = 256;

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function formatPath(path: YamlPath): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

function resourceRef(resource: Record<string, unknown>, defaultNamespace: string | null): ResourceRef {
  const metadata = isObject(resource.metadata) ? resource.metadata : {};
  return {
    apiVersion: str(resource.apiVersion) ?? '',
    kind: str(resource.kind) ?? '',
    namespace: str(metadata.namespace) ?? defaultNamespace,
    name: str(metadata.name) ?? '',
  };
}

function hookOf(resource: Record<string, unknown>): string | null {
  const annotations = getPath(resource, ['metadata', 'annotations']);
  return isObject(annotations) ? str(annotations['helm.sh/hook']) : null;
}

export const IGNORE_ANNOTATION = 'imageguard.io/ignore';

/** `imageguard.io/ignore: "rule-a, rule-b"` (or `all`) on the resource and on its pod template. */
function ignoredRules(resource: Record<string, unknown>, specPath: YamlPath | null): string[] {
  const paths: YamlPath[] = [['metadata', 'annotations']];
  if (specPath) paths.push([...specPath.slice(0, -1), 'metadata', 'annotations']);
  const rules = new Set<string>();
  for (const path of paths) {
    const annotations = getPath(resource, path);
    const value = isObject(annotations) ? str(annotations[IGNORE_ANNOTATION]) : null;
    for (const id of value?.split(',') ?? []) if (id.trim() !== '') rules.add(id.trim());
  }
  return [...rules];
}

function imageText(value: unknown): { image: string; isString: boolean } {
  if (typeof value === 'string') return { image: value, isString: true };
  return { image: value === undefined ? '' : JSON.stringify(value), isString: false };
}

/** Finds every image in one resource: pod spec containers first, then other fields named `image`. */
function extractFromResource(
  doc: ManifestDocument,
  resource: Record<string, unknown>,
  base: YamlPath,
  options: ExtractOptions,
): ImageUse[] {
  const specPath = podSpecPath(resource);
  const common = {
    resource: resourceRef(resource, options.defaultNamespace),
    template: doc.template,
    hook: hookOf(resource),
    ignoredRules: ignoredRules(resource, specPath),
  };
  const uses: ImageUse[] = [];
  const seen = new Set<string>();
  const add = (path: YamlPath, value: unknown, name: string, type: ContainerType, pullPolicy: unknown): void => {
    const fullPath = [...base, ...path];
    seen.add(formatPath(fullPath));
    uses.push({
      ...common,
      ...imageText(value),
      container: { name, type },
      line: doc.lineOf([...fullPath]) ?? doc.lineOf(fullPath.slice(0, -1)),
      fieldPath: formatPath(path),
      imagePullPolicy: str(pullPolicy),
    });
  };

  if (specPath) {
    const spec = getPath(resource, specPath) as Record<string, unknown>;
    for (const { key, type } of CONTAINER_LISTS) {
      const list = spec[key];
      if (!Array.isArray(list)) continue;
      list.forEach((container: unknown, index) => {
        if (!isObject(container)) return;
        const name = str(container.name) ?? `${key}[${index}]`;
        add([...specPath, key, index, 'image'], container.image, name, type, container.imagePullPolicy);
      });
    }
  }

  if (!SKIP_OTHER_IMAGES.has(common.resource.kind)) {
    for (const { path, value } of stringFieldsNamedImage(resource)) {
      if (seen.has(formatPath([...base, ...path])) || !options.isImageReference(value)) continue;
      add(path, value, formatPath(path), 'other', null);
    }
  }
  return uses;
}

/** Every string value under a key named `image`, walked iteratively (no recursion limit on hostile depth). */
function* stringFieldsNamedImage(root: unknown): Generator<{ path: YamlPath; value: string }> {
  const stack: { value: unknown; path: YamlPath }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (path.length > MAX_WALK_DEPTH) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    } else if (isObject(value)) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (key === 'image' && typeof child === 'string' && child !== '') yield { path: [...path, key], value: child };
        else stack.push({ value: child, path: [...path, key] });
      }
    }
  }
}

/** Every image use in a rendered stream, in document order. `List` kinds are unpacked. */
export function extractImages(docs: readonly ManifestDocument[], options: ExtractOptions): ImageUse[] {
  const uses: ImageUse[] = [];
  for (const doc of docs) {
    const object = doc.object;
    if (!isObject(object)) continue;
    const kind = str(object.kind) ?? '';
    if (kind.endsWith('List') && Array.isArray(object.items)) {
      object.items.forEach((item: unknown, index) => {
        if (isObject(item)) uses.push(...extractFromResource(doc, item, ['items', index], options));
      });
    } else {
      uses.push(...extractFromResource(doc, object, [], options));
    }
  }
  return uses;
}
