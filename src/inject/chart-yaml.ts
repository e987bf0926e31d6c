/**
 * Adds (or updates) the library chart in Chart.yaml `dependencies` by editing lines, so every other byte of the
 * file (comments, quoting, folding, key order) stays as the author wrote it. The yaml package only locates nodes.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { UsageError } from '../errors.js';
import { applyEdits, type LineEdit, type TextLines, toLines } from './lines.js';

export interface DependencyEdit {
  edits: LineEdit[];
  action: 'added' | 'updated' | 'unchanged';
}

interface Located {
  /** 0-based line and column of an offset. */
  line: number;
  col: number;
}

function locator(text: string): (offset: number) => Located {
  const counter = new LineCounter();
  parseDocument(text, { lineCounter: counter });
  return (offset) => {
    const { line, col } = counter.linePos(offset);
    return { line: line - 1, col: col - 1 };
  };
}

function startOf(node: Node | null | undefined): number {
  return node?.range?.[0] ?? 0;
}

/** Items' indentation in this file: the column of a top-level block sequence's `-`, relative to its key (else 0). */
function sequenceIndent(doc: ReturnType<typeof parseDocument>, at: (offset: number) => Located): number {
  if (!isMap(doc.contents)) return 0;
  for (const pair of doc.contents.items) {
    if (isSeq(pair.value) && !pair.value.flow && pair.value.items.length > 0) return at(startOf(pair.value)).col;
  }
  return 0;
}

function itemLines(indent: number, name: string, version: string): string[] {
  const pad = ' '.repeat(indent);
  return [`${pad}- name: ${name}`, `${pad}  version: ${version}`];
}

export function libraryDependencyEdits(file: string, text: string, name: string, version: string): DependencyEdit {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) throw new UsageError(`${file}: not a chart's Chart.yaml (cannot parse it)`);
  const at = locator(text);
  const lines = toLines(text);
  const apiVersion = doc.get('apiVersion');
  if (apiVersion !== 'v2') {
    throw new UsageError(`${file}: apiVersion ${String(apiVersion)} charts keep dependencies in requirements.yaml; --library needs apiVersion v2`);
  }
  const pair = doc.contents.items.find((item) => isScalar(item.key) && item.key.value === 'dependencies');
  const value = pair?.value;
  if (!pair) {
    const indent = sequenceIndent(doc, at);
    return { action: 'added', edits: [{ start: lines.lines.length, deleteCount: 0, insert: ['dependencies:', ...itemLines(indent, name, version)] }] };
  }
  const keyLine = at(startOf(pair.key as Node)).line;
  if (value === null || (isScalar(value) && value.value === null)) {
    return { action: 'added', edits: [{ start: keyLine + 1, deleteCount: 0, insert: itemLines(0, name, version) }] };
  }
  if (!isSeq(value)) throw new UsageError(`${file}: dependencies is not a list`);
  if (value.flow) {
    if (value.items.length > 0) throw new UsageError(`${file}: dependencies is a flow list ([...]); add ${name} ${version} by hand`);
    const open = at(startOf(value));
    const close = at((value.range?.[1] ?? 0) - 1);
    const line = lines.lines[open.line]!;
    if (close.line !== open.line || open.line !== keyLine) throw new UsageError(`${file}: cannot edit dependencies: []; add ${name} by hand`);
    const edited = (line.slice(0, open.col) + line.slice(close.col + 1)).trimEnd();
    return { action: 'added', edits: [{ start: open.line, deleteCount: 1, insert: [edited, ...itemLines(0, name, version)] }] };
  }
  const existing = value.items.find((item) => isMap(item) && (item.toJSON() as { name?: unknown }).name === name);
  if (existing && isMap(existing)) {
    const versionNode = existing.get('version', true);
    if (isScalar(versionNode) && String(versionNode.value) === version) return { action: 'unchanged', edits: [] };
    if (!isScalar(versionNode) || !versionNode.range) throw new UsageError(`${file}: the ${name} dependency has no version; fix it by hand`);
    const [start, end] = versionNode.range;
    const from = at(start);
    if (at(end).line !== from.line) throw new UsageError(`${file}: cannot edit the ${name} dependency's version; fix it by hand`);
    const line = lines.lines[from.line]!;
    const edited = line.slice(0, from.col) + version + line.slice(at(end).col);
    return { action: 'updated', edits: [{ start: from.line, deleteCount: 1, insert: [edited] }] };
  }
  const last = value.items[value.items.length - 1] as Node | undefined;
  const lastLine = at((last?.range?.[1] ?? startOf(value)) - 1).line;
  return { action: 'added', edits: [{ start: lastLine + 1, deleteCount: 0, insert: itemLines(at(startOf(value)).col, name, version) }] };
}

/** Applies the edits and checks the result parses to the same chart plus the dependency (a bug guard). */
export function applyDependencyEdits(file: string, before: TextLines, edit: DependencyEdit, name: string, version: string): TextLines {
  const after = applyEdits(before, edit.edits).text;
  const parse = (lines: TextLines) => parseDocument(lines.lines.join('\n')).toJS() as { dependencies?: { name?: unknown; version?: unknown }[] } | null;
  const old = parse(before) ?? {};
  const now = parse(after) ?? {};
  const withoutOurs = (deps: { name?: unknown }[] | undefined) => (deps ?? []).filter((dep) => dep.name !== name);
  const sameRest =
    isDeepStrictEqual({ ...old, dependencies: withoutOurs(old.dependencies) }, { ...now, dependencies: withoutOurs(now.dependencies) });
  const ours = (now.dependencies ?? []).find((dep) => dep.name === name);
  if (!sameRest || String(ours?.version) !== version) {
    throw new UsageError(`${file}: could not add ${name} to dependencies without changing other content; add it by hand`);
  }
  return after;
}
