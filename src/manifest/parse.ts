import { LineCounter, parseAllDocuments, isNode } from 'yaml';
import type { ManifestDocument } from './types.js';

export class ManifestParseError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
    this.name = 'ManifestParseError';
  }
}

// `helm template` marks each document with `# Source: CHART/templates/FILE.yaml` (Helm 3 and 4).
const SOURCE_COMMENT = /^# Source: (.+?)\s*$/m;
// Bounds for hostile input: alias expansion ("billion laughs") and nesting depth.
const MAX_ALIAS_COUNT = 1000;

/**
 * Splits a rendered multi-document YAML stream into documents, keeping each one's `# Source:` template and the
 * line of every node. Throws ManifestParseError (never anything else) on YAML that does not parse.
 */
export function parseManifestStream(text: string): ManifestDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (!Array.isArray(docs)) {
    // yaml returns an EmptyStream (not an array) for input with no documents at all.
    return [];
  }
  const result: ManifestDocument[] = [];
  let previousEnd = 0;
  for (const doc of docs) {
    const firstError = doc.errors[0];
    if (firstError) {
      const line = firstError.linePos?.[0]?.line ?? lineCounter.linePos(firstError.pos[0]).line;
      throw new ManifestParseError(`invalid YAML at line ${line}: ${firstError.message.split('\n')[0]}`, line);
    }
    const [docStart, docEnd] = doc.range;
    // yaml starts a first document without `---` at its content, after the `# Source:` comment, and gives a
    // comment-only document an empty content range: so look from the previous document's end.
    const contents = doc.contents;
    const headerEnd = contents && contents.range[0] < contents.range[1] ? contents.range[0] : docEnd;
    const header = text.slice(previousEnd, Math.max(previousEnd, headerEnd));
    previousEnd = docEnd;
    const template = SOURCE_COMMENT.exec(header)?.[1] ?? null;
    let object: unknown;
    try {
      object = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const line = lineCounter.linePos(docStart).line;
      throw new ManifestParseError(`document at line ${line}: ${(error as Error).message}`, line);
    }
    result.push({
      object: object ?? null,
      template,
      startLine: lineCounter.linePos(docStart).line,
      lineOf(path) {
        const node = doc.getIn(path, true);
        return isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : null;
      },
    });
  }
  return result;
}
