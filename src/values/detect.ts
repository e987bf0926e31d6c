/**
 * The values image-field detector, shared by lint (provenance, latent findings) and schema generation.
 *
 * Shapes it knows (as of 2026-11, from the corpus charts, Bitnami, ingress-nginx, cert-manager, grafana and the
 * shapes Renovate's helm-values manager documents):
 * - objects with a string `repository` (`{registry?, repository, tag?, digest?}`: helm create, Bitnami, grafana);
 * - objects with a string `image` plus `tag`, `digest` or `registry` (ingress-nginx `{registry?, image, tag, digest}`);
 * - objects under a key named like `image` with a string `name` (cert-manager `{name, repository: ""}` style);
 * - string fields named `image` or `*Image` whose value parses as an image reference (`sidecars[].image`);
 * - any of these nested at any depth, in lists too. `sha` is read as a digest (grafana);
 * - an object with an `image` object inside is a container of images, not an image (Bitnami
 *   `cloneStaticSiteFromGit: {repository: <git URL>, image: {...}}`).
 * Numbers are accepted as tags (`tag: 16`): YAML reads unquoted versions as numbers.
 */
import { isTree } from './tree.js';
import type { ValuesPath } from './types.js';

export interface DetectedPart {
  path: ValuesPath;
  /** The value as a string ('' when empty); numbers are stringified as YAML read them. */
  value: string;
  /** The raw value (to tell `tag: 1.10`, a number, from `tag: "1.10"`). */
  raw: unknown;
}

export interface DetectedImage {
  path: ValuesPath;
  kind: 'object' | 'string';
  registry?: DetectedPart;
  /** `repository`, `image` or `name`; for a string field, the whole reference. */
  name?: DetectedPart;
  tag?: DetectedPart;
  digest?: DetectedPart;
}

const MAX_DEPTH = 128;

function part(object: Record<string, unknown>, path: ValuesPath, key: string): DetectedPart | undefined {
  if (!(key in object)) return undefined;
  const raw = object[key];
  if (typeof raw === 'string') return { path: [...path, key], value: raw, raw };
  if (typeof raw === 'number') return { path: [...path, key], value: String(raw), raw };
  if (raw === null) return { path: [...path, key], value: '', raw };
  return undefined;
}

const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value !== '';

function asImageObject(object: Record<string, unknown>, path: ValuesPath): DetectedImage | null {
  // An object holding an image object is not one itself: Bitnami's `cloneStaticSiteFromGit: {image: {...},
  // repository: <git URL>, branch}` names a git repository next to its image.
  if (isTree(object.image)) return null;
  const extras = ['tag', 'digest', 'registry', 'sha'].some((key) => key in object);
  const underImageKey = /image/i.test(String(path[path.length - 1] ?? ''));
  // Prefer the field that names the image: cert-manager keeps `repository: ""` next to `name: cert-manager-controller`.
  const candidates: [string, boolean][] = [
    ['repository', typeof object.repository === 'string'],
    ['image', typeof object.image === 'string' && extras],
    ['name', typeof object.name === 'string' && underImageKey && (extras || 'repository' in object)],
  ];
  const present = candidates.filter(([, ok]) => ok).map(([key]) => key);
  const nameKey = present.find((key) => nonEmpty(object[key])) ?? present[0];
  if (!nameKey) return null;
  return {
    path,
    kind: 'object',
    name: part(object, path, nameKey),
    registry: part(object, path, 'registry'),
    tag: part(object, path, 'tag'),
    digest: part(object, path, 'digest') ?? part(object, path, 'sha'),
  };
}

function isImageKey(key: string | number): boolean {
  return typeof key === 'string' && (key === 'image' || /[a-z0-9]Image$/.test(key));
}

/** Every image field in a values tree, in document order. */
export function detectImages(tree: unknown, isReference: (value: string) => boolean): DetectedImage[] {
  const found: DetectedImage[] = [];
  const stack: { value: unknown; path: ValuesPath }[] = [{ value: tree, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (path.length > MAX_DEPTH) continue;
    const key = path[path.length - 1];
    if (typeof value === 'string') {
      if (key !== undefined && isImageKey(key) && value !== '' && isReference(value)) {
        found.push({ path, kind: 'string', name: { path, value, raw: value } });
      }
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    } else if (isTree(value)) {
      const image = asImageObject(value, path);
      if (image) {
        found.push(image);
        continue;
      }
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: [...path, entries[i]![0]] });
    }
  }
  return found;
}
