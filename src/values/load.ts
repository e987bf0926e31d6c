import { readFileSync } from 'node:fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { UsageError } from '../errors.js';
import { formatValuesPath, pathKey, type ValueOrigin, type ValuesPath, type ValuesSource } from './types.js';

const MAX_ALIAS_COUNT = 1000;

/**
 * Parses a values file keeping the line and column of every scalar from the YAML parser itself
 * (never by searching text). `display` is the name shown to the user.
 */
export function parseValues(text: string, display: string): ValuesSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
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

export function loadValuesFile(file: string, display: string): ValuesSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`cannot read values file ${display}: ${reason}`);
  }
  return parseValues(text, display);
}
