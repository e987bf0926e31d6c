import { readFileSync } from 'node:fs';
import { HelmError, UsageError } from '../errors.js';
import { helmTemplate, type TemplateRequest } from '../helm/template.js';
import { withoutPassword } from '../io/redact.js';
import { decodeText } from '../io/text.js';
import { ManifestParseError, parseManifestStream } from '../manifest/parse.js';
import type { ManifestDocument } from '../manifest/types.js';

/** Renders a chart with helm and parses the stream; helm output that is not YAML is a helm failure. */
export async function renderChart(request: TemplateRequest): Promise<ManifestDocument[]> {
  const text = await helmTemplate(request);
  try {
    // Only documents that mention an image or containers can hold one (helm produced and checked the YAML).
    return parseManifestStream(text, { onlyIf: (doc) => doc.includes('image') || doc.includes('ontainers'), positions: false });
  } catch (error) {
    if (error instanceof ManifestParseError) {
      throw new HelmError(`helm template ${withoutPassword(request.chart)} printed output that is not YAML: ${error.message}`);
    }
    throw error;
  }
}

/** Reads already-rendered YAML from a file, or from stdin for `-`. */
export function readManifest(file: string, stdin: () => string): ManifestDocument[] {
  let text: string;
  try {
    text = file === '-' ? stdin() : decodeText(readFileSync(file), file);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`cannot read manifest ${file}: ${reason}`);
  }
  try {
    return parseManifestStream(text);
  } catch (error) {
    if (error instanceof ManifestParseError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

