import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageClass } from '../../src/image/classify.js';
import type { ImageRecord } from '../../src/report/types.js';
import { sharedDir } from './helm.js';

export const corpusDir = join(sharedDir, 'corpus');

export interface ManifestImage {
  kind: string;
  name: string;
  container: string;
  container_type: string;
  image: string;
  class: string;
  helm_hook: string | null;
}
export interface CorpusManifest {
  charts: { chart: string; images: ManifestImage[] }[];
  variants: { values_file: string; chart: string; images: ManifestImage[] }[];
}

/** The corpus is required on CI (CI=true): its suites must run there, never skip. */
export function loadCorpus(): CorpusManifest | null {
  const file = join(corpusDir, 'MANIFEST.json');
  if (!existsSync(file)) {
    if (process.env.CI === 'true') throw new Error(`CI=true but the corpus is missing: ${file}`);
    return null;
  }
  return JSON.parse(readFileSync(file, 'utf8')) as CorpusManifest;
}

/** MANIFEST.json class names -> imageguard's (`floating` there also covers named channels). */
export const CLASS_MAP: Record<string, readonly ImageClass[]> = {
  'exact-version': ['version'],
  'no-tag': ['untagged'],
  digest: ['digest'],
  latest: ['latest'],
  floating: ['floating', 'mutable'],
};

// helm test Pods of some charts (podinfo) get a random 5-character suffix on every render.
function stableName(name: string, hook: string | null): string {
  return hook ? name.replace(/-[a-z0-9]{5}$/, '-#####') : name;
}

export function manifestKey(image: ManifestImage): string {
  return [image.kind, stableName(image.name, image.helm_hook), image.container, image.container_type, image.image].join(' | ');
}

export function reportKey(image: ImageRecord): string {
  const name = stableName(image.resource.name, image.hook);
  return [image.resource.kind, name, image.container.name, image.container.type, image.image].join(' | ');
}
