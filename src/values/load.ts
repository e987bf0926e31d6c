import { readFileSync } from 'node:fs';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  parseDocument,
  type Document,
  type DocumentOptions,
  type Node,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';
import { UsageError } from '../errors.js';
import { fastValuesTree, plainKeyResolver } from './fast-values.js';
import { scanPositions } from './positions.js';
import { formatValuesPath, pathKey, type ValueOrigin, type ValuesPath, type ValuesSource } from './types.js';

const MAX_ALIAS_COUNT = 1000;

export interface ValuesParseOptions {
  /**
   * Read scalars as helm does (sigs.k8s.io/yaml on go-yaml v2, YAML 1.1): `yes`/`on`/`y` are booleans, `010` and
   * `0o10` octal, `1_000` is 1000; but `1:20` and `2024-01-01` stay strings. Default: YAML 1.2 core.
   */
  helmTypes?: boolean;
}

type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

// go-yaml v2 reads `0o17` as octal too; the yaml package's 1.1 schema does not.
const GO_OCTAL = {
  identify: (value: unknown) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  test: /^[-+]?0o[0-7_]+$/,
  resolve: (text: string) => {
    const digits = text.replace(/_/g, '');
    const value = parseInt(digits.replace(/^[-+]?0o/, ''), 8);
    return digits.startsWith('-') ? -value : value;
  },
};

function yamlOptions(lineCounter: LineCounter | undefined, options: ValuesParseOptions): YamlOptions {
  const base: YamlOptions = { lineCounter, prettyErrors: false, uniqueKeys: false };
  if (!options.helmTypes) return base;
  return {
    ...base,
    version: '1.1',
    // go-yaml v2 has no sexagesimal numbers, and timestamps reach helm as strings.
    customTags: (tags) => [
      GO_OCTAL,
      ...tags.filter((tag) => typeof tag === 'string' || !(tag.format === 'TIME' || tag.tag === 'tag:yaml.org,2002:timestamp')),
    ],
  };
}

// One options object per dialect: fast-values.ts builds its scalar rules once per object.
const SCHEMA_OPTIONS = { helm: yamlOptions(undefined, { helmTypes: true }), core: yamlOptions(undefined, {}) };

/** The yaml package's options for these values options, without positions: the scalar rules of both readers. */
export function valuesSchemaOptions(options: ValuesParseOptions): YamlOptions {
  return options.helmTypes ? SCHEMA_OPTIONS.helm : SCHEMA_OPTIONS.core;
}

/**
 * Parses a values file keeping the line and column of every node: from the fast reader and its line scanner when
 * the file is plain enough (fastSource), else from the yaml package's parser; never by searching the text for a
 * value. `display` is the name shown to the user.
 */
export function parseValues(text: string, display: string, options: ValuesParseOptions = {}): ValuesSource {
  return fastSource(text, display, options) ?? parseValuesFully(text, display, options);
}

/** parseValues without the fast reader: positions of every node, parsed now. */
export function parseValuesFully(text: string, display: string, options: ValuesParseOptions = {}): ValuesSource {
  const lineCounter = new LineCounter();
  return documentSource(parseDocument(text, yamlOptions(lineCounter, options)), lineCounter, display);
}

/** Every document of a values file, in order (helm 4 merges them; helm 3 reads the first). */
export function parseValuesDocuments(text: string, display: string, options: ValuesParseOptions = {}): ValuesSource[] {
  const fast = fastSource(text, display, options);
  if (fast) return [fast];
  const lineCounter = new LineCounter();
  const docs: readonly Document[] = parseAllDocuments(text, yamlOptions(lineCounter, options));
  return docs.map((doc) => documentSource(doc, lineCounter, display));
}

/**
 * The tree from the fast reader (fast-values.ts) and the positions from the line scanner (positions.ts), when the
 * text is plain enough for both; else null, and the full parse reads it. The scanner also keeps out text js-yaml
 * is more lenient with than the yaml package (a tab in the indentation, a comment glued to a quoted scalar).
 * test/unit/fast-values.test.ts and positions.test.ts compare both readings with the full parse.
 */
function fastSource(text: string, display: string, options: ValuesParseOptions): ValuesSource | null {
  const schema = valuesSchemaOptions(options);
  const fast = fastValuesTree(text, schema);
  if (!fast) return null;
  const origins = scanPositions(text, display, plainKeyResolver(schema));
  return origins ? { tree: fast.tree ?? {}, origins } : null;
}

function documentSource(doc: Document, lineCounter: LineCounter, display: string): ValuesSource {
  const error = doc.errors[0];
  if (error) {
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new UsageError(`${display}:${line}: invalid YAML: ${error.message.split('\n')[0]}`);
  }
  let tree: unknown;
  try {
    tree = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (cause) {
    throw new UsageError(`${display}: ${(cause as Error).message}`);
  }
  const origins = new Map<string, ValueOrigin>();
  const record = (path: ValuesPath, node: Node | null | undefined, keyNode: unknown): void => {
    const at = node?.range ?? (isScalar(keyNode) ? keyNode.range : undefined);
    const origin: ValueOrigin = { file: display, path: formatValuesPath(path) };
    if (at) {
      const { line, col } = lineCounter.linePos(at[0]);
      origin.line = line;
      origin.column = col;
    }
    origins.set(pathKey(path), origin);
  };
  // Iterative walk in document order (children pushed in reverse), so a duplicated key's last occurrence wins as it
  // does in the parsed tree. Aliases are followed to their anchor, where the value is written; the walk is bounded
  // like alias expansion is.
  const stack: { node: unknown; path: ValuesPath; keyNode: unknown }[] = [{ node: doc.contents, path: [], keyNode: null }];
  let budget = MAX_ALIAS_COUNT * 1000;
  while (stack.length > 0 && budget-- > 0) {
    const { node: current, path, keyNode } = stack.pop()!;
    const node = isAlias(current) ? current.resolve(doc) : current;
    if (isMap(node)) {
      if (path.length > 0) record(path, node, keyNode);
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i]!;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        stack.push({ node: pair.value, path: [...path, key], keyNode: pair.key });
      }
    } else if (isSeq(node)) {
      record(path, node, keyNode);
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], path: [...path, i], keyNode: null });
    } else if (path.length > 0) {
      // An empty value (`tag:`) is a null scalar of no width after the colon: point at its key instead.
      const empty = isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1];
      record(path, isScalar(node) && !empty ? node : null, keyNode);
    }
  }
  return { tree, origins };
}

export function readValuesText(file: string, display: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`cannot read values file ${display}: ${reason}`);
  }
}

export function loadValuesFile(file: string, display: string, options: ValuesParseOptions = {}): ValuesSource {
  return parseValues(readValuesText(file, display), display, options);
}
