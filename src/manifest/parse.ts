import { CORE_SCHEMA, load as loadYaml, YAMLException } from 'js-yaml';
import { LineCounter, parseDocument, isNode, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import { fastValuesTree, plainKeyResolver } from '../values/fast-values.js';
import { scanLines } from '../values/positions.js';
import { pathKey } from '../values/types.js';
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

export interface ParseStreamOptions {
  /**
   * Parse only the documents whose text passes this test; the others are returned with `object: null`. For helm's
   * own output, whose YAML helm has already produced and validated: full YAML parsing with positions is the most
   * expensive step of lint, and most documents (RBAC, Services, ...) cannot hold an image.
   */
  onlyIf?: (documentText: string) => boolean;
  /**
   * Keep node positions (default true). Without them documents are read with js-yaml, about 7x faster than the
   * position-keeping parser; lint needs positions only for --manifest input, where the line is the user's line.
   */
  positions?: boolean;
}

// `helm template` marks each document with `# Source: CHART/templates/FILE.yaml` (Helm 3 and 4).
const SOURCE_COMMENT = /^# Source: (.+?)\s*$/m;
// Bounds for hostile input: alias expansion ("billion laughs").
const MAX_ALIAS_COUNT = 1000;
// A document marker: `---` alone (or before content) at column 0. YAML forbids it inside any scalar, so splitting
// on it is exact.
const DOCUMENT_MARKER = /^---(?:[ \t].*)?$/;

interface Chunk {
  text: string;
  /** 1-based line of the chunk's first line in the stream. */
  startLine: number;
}

/** The stream split at document markers; the marker line itself starts the next chunk's line count. */
function splitDocuments(text: string): Chunk[] {
  const lines = text.split('\n');
  const chunks: Chunk[] = [];
  let start = 0;
  const flush = (end: number, startLine: number): void => {
    const body = lines.slice(start, end).join('\n');
    if (body.trim() !== '' || chunks.length > 0 || start > 0) chunks.push({ text: body, startLine });
  };
  let startLine = 1;
  for (let i = 0; i < lines.length; i++) {
    if (!DOCUMENT_MARKER.test(lines[i]!)) continue;
    if (i > 0 || start < i) flush(i, startLine);
    // Content after `--- ` on the marker line belongs to the new document.
    const rest = lines[i]!.slice(3).trim();
    lines[i] = rest;
    start = i;
    startLine = i + 1;
  }
  flush(lines.length, startLine);
  // A trailing empty chunk after a final `---` is no document.
  return chunks.filter((chunk, index) => chunk.text.trim() !== '' || index < chunks.length - 1 || chunks.length === 1);
}

function loadFast(chunk: Chunk, offset: number): unknown {
  try {
    // CORE_SCHEMA: YAML 1.2 scalars only (no Date objects), as the position-keeping parser reads them.
    return loadYaml(chunk.text, { schema: CORE_SCHEMA }) ?? null;
  } catch (error) {
    const line = error instanceof YAMLException ? offset + error.mark.line + 1 : chunk.startLine;
    const reason = error instanceof YAMLException ? error.reason : (error as Error).message;
    throw new ManifestParseError(`invalid YAML at line ${line}: ${reason}`, line);
  }
}

type ParsedDocument = Pick<ManifestDocument, 'object' | 'lineOf'>;

/** The yaml package's parse of a document, keeping the position of every node. */
function fullDocument(chunk: Chunk, offset: number): ParsedDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(chunk.text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = offset + lineCounter.linePos(firstError.pos[0]).line;
    throw new ManifestParseError(`invalid YAML at line ${line}: ${firstError.message.split('\n')[0]}`, line);
  }
  let object: unknown;
  try {
    object = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new ManifestParseError(`document at line ${chunk.startLine}: ${(error as Error).message}`, chunk.startLine);
  }
  return {
    object: object ?? null,
    lineOf(path) {
      const node = doc.getIn(path, true);
      return isNode(node) && node.range ? offset + lineCounter.linePos(node.range[0]).line : null;
    },
  };
}

const CORE: ParseOptions & DocumentOptions & SchemaOptions = { prettyErrors: false, uniqueKeys: false };
const coreKey = plainKeyResolver(CORE);

function lineIn(lines: ReadonlyMap<string, number>, path: readonly (string | number)[], offset: number): number | null {
  const line = lines.get(pathKey(path));
  return line === undefined ? null : offset + line;
}

/**
 * A plain document (see values/fast-values.ts) read with js-yaml, with the lines of its nodes from the line scanner
 * (values/positions.ts); null when the document is not plain enough for both (the full parse then reads it, and
 * reports what js-yaml alone would let through). The same tree as fullDocument: both use the yaml package's YAML
 * 1.2 core scalars.
 */
function fastDocument(chunk: Chunk, offset: number): ParsedDocument | null {
  const fast = fastValuesTree(chunk.text, CORE);
  if (!fast) return null;
  const lines = scanLines(chunk.text, coreKey);
  if (!lines) return null;
  return { object: fast.tree ?? null, lineOf: (path) => lineIn(lines, path, offset) };
}

/**
 * Splits a rendered multi-document YAML stream into documents, keeping each one's `# Source:` template and the
 * line of every node. Throws ManifestParseError (never anything else) on YAML that does not parse.
 */
export function parseManifestStream(text: string, options: ParseStreamOptions = {}): ManifestDocument[] {
  const result: ManifestDocument[] = [];
  for (const chunk of splitDocuments(text)) {
    if (chunk.text.trim() === '' && result.length === 0 && chunk.startLine === 1) continue;
    const template = SOURCE_COMMENT.exec(chunk.text)?.[1] ?? null;
    const offset = chunk.startLine - 1;
    if (options.onlyIf && !options.onlyIf(chunk.text)) {
      result.push({ object: null, template, startLine: chunk.startLine, lineOf: () => null });
      continue;
    }
    if (options.positions === false) {
      result.push({ object: loadFast(chunk, offset), template, startLine: chunk.startLine, lineOf: () => null });
      continue;
    }
    result.push({ ...(fastDocument(chunk, offset) ?? fullDocument(chunk, offset)), template, startLine: chunk.startLine });
  }
  return result;
}
