/**
 * Unquoted numeric image tags in values.yaml: helm reads `tag: 1.10` as the number 1.1 and `tag: 16` as 16
 * (YAML 1.1 via go-yaml), so the image becomes `app:1.1`, and `tag: 20240101` renders as `2.0240101e+07`.
 * Finds them with their position and quotes them by editing only the scalar's own characters: comments,
 * layout and everything else in the file stay as they were.
 */
import { isScalar, LineCounter, parseDocument, Scalar } from 'yaml';
import { formatValuesPath, type ValuesPath } from '../values/types.js';

export interface NumericTag {
  path: ValuesPath;
  /** The scalar as written (`1.10`). */
  text: string;
  /** What helm reads (`1.1`). */
  value: number;
  line: number;
  column: number;
  start: number;
  end: number;
}

/** The tags among `tagPaths` that are plain (unquoted) YAML numbers, read as helm reads them. */
export function findNumericTags(text: string, tagPaths: readonly ValuesPath[]): NumericTag[] {
  if (tagPaths.length === 0) return []; // no tag is a number in the tree: skip the position-keeping parse
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    version: '1.1',
    uniqueKeys: false,
    customTags: (tags) => tags.filter((tag) => typeof tag === 'string' || !(tag.format === 'TIME' || tag.tag === 'tag:yaml.org,2002:timestamp')),
  });
  if (doc.errors.length > 0) return [];
  const found: NumericTag[] = [];
  for (const path of tagPaths) {
    const node = doc.getIn(path, true);
    if (!isScalar(node) || node.type !== Scalar.PLAIN || !node.range) continue;
    const raw = text.slice(node.range[0], node.range[1]);
    // helm's reading (0o17, 1_000 and 1e3 are numbers to go-yaml too).
    const value = typeof node.value === 'number' ? node.value : /^[-+]?0o[0-7_]+$/.test(raw) ? parseInt(raw.replace(/[_+]|0o/g, ''), 8) : null;
    if (value === null) continue;
    const { line, col } = lineCounter.linePos(node.range[0]);
    found.push({ path, text: raw, value, line, column: col, start: node.range[0], end: node.range[1] });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** values.yaml with each numeric tag quoted as written (`tag: 1.10` -> `tag: "1.10"`). */
export function quoteNumericTags(text: string, tags: readonly NumericTag[]): string {
  let out = text;
  for (const tag of [...tags].sort((a, b) => b.start - a.start)) {
    out = `${out.slice(0, tag.start)}"${tag.text}"${out.slice(tag.end)}`;
  }
  return out;
}

export function describeNumericTag(tag: NumericTag): string {
  const read = String(tag.value);
  const change = read === tag.text ? '' : `, so the image gets ${JSON.stringify(read)}`;
  return `${formatValuesPath(tag.path)}: ${tag.text} is a number to helm${change}; quote it ("${tag.text}") or run with --fix-numeric-tags`;
}
