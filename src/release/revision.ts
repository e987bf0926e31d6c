/** Revision text (helm get manifest + helm get hooks) -> classified image uses, with lint's parse/extract/classify. */
import { isImageReference } from '../image/reference.js';
import { classifyUse, type LintSettings } from '../lint/engine.js';
import { extractImages } from '../manifest/extract.js';
import { ManifestParseError, parseManifestStream } from '../manifest/parse.js';
import type { ManifestDocument } from '../manifest/types.js';
import type { RevisionImages, RevisionInfo } from './types.js';

export class RevisionParseError extends Error {
  override name = 'RevisionParseError';
}

function parse(text: string, what: string): ManifestDocument[] {
  try {
    return parseManifestStream(text);
  } catch (error) {
    if (error instanceof ManifestParseError) throw new RevisionParseError(`${what}: ${error.message}`);
    throw error;
  }
}

export interface RevisionText {
  info: RevisionInfo;
  manifest: string;
  hooks: string;
}

/**
 * Every image of one revision, manifest first, then hooks. `namespace` is the release namespace: helm installs
 * resources without metadata.namespace there.
 */
export function revisionImages(text: RevisionText, namespace: string | null, settings: LintSettings): RevisionImages {
  const extract = { defaultNamespace: namespace, isImageReference };
  const label = `revision ${text.info.revision}`;
  const docs = [...parse(text.manifest, `${label} manifest`), ...parse(text.hooks, `${label} hooks`)];
  return { info: text.info, uses: extractImages(docs, extract).map((use) => classifyUse(use, settings)) };
}
