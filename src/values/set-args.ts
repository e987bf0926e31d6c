/**
 * helm's --set family, parsed far enough to know which values paths each flag sets (Helm's strvals syntax:
 * `a.b=c,d[0]=e`, `\,` and `\.` escapes, `{x,y}` lists). Helm applies them after all -f files, in this order
 * of flag kinds (pkg/cli/values/options.go MergeValues): --set-json, --set, --set-string, --set-file, --set-literal.
 */
import { formatValuesPath, pathKey, type ValueOrigin, type ValuesPath, type ValuesSource } from './types.js';
import { setIn } from './tree.js';

export const SET_FLAG_ORDER = ['--set-json', '--set', '--set-string', '--set-file', '--set-literal'] as const;
export type SetFlag = (typeof SET_FLAG_ORDER)[number];

export interface SetAssignment {
  flag: SetFlag;
  path: ValuesPath;
  value: unknown;
}

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length) {
      current += char + text[i + 1];
      i += 1;
    } else if (char === '{') {
      depth += 1;
      current += char;
    } else if (char === '}') {
      depth = Math.max(0, depth - 1);
      current += char;
    } else if (char === separator && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

const unescape = (text: string): string => text.replace(/\\(.)/g, '$1');

/** `a.b[0].c` -> ['a', 'b', 0, 'c'], honouring `\.`. */
export function parseSetKey(key: string): ValuesPath {
  const path: (string | number)[] = [];
  for (const part of splitUnescaped(key, '.')) {
    const match = /^(.*?)((?:\[\d+\])+)$/.exec(part);
    if (match) {
      if (match[1]) path.push(unescape(match[1]));
      for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
    } else {
      path.push(unescape(part));
    }
  }
  return path;
}

function typedValue(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^-?(0|[1-9]\d{0,17})$/.test(raw)) return Number(raw);
  return raw;
}

function setValue(flag: SetFlag, raw: string): unknown {
  if (flag === '--set-literal' || flag === '--set-file') return raw;
  if (flag === '--set-json') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  if (raw.startsWith('{') && raw.endsWith('}')) {
    return splitUnescaped(raw.slice(1, -1), ',').map((item) => (flag === '--set' ? typedValue(unescape(item)) : unescape(item)));
  }
  return flag === '--set' ? typedValue(unescape(raw)) : unescape(raw);
}

/** Assignments of one flag occurrence (`--set a=1,b=2` gives two). */
export function parseSetArgument(flag: SetFlag, argument: string): SetAssignment[] {
  // --set-literal and --set-json take one key=value each; the others split on unescaped commas.
  const pieces = flag === '--set-literal' || flag === '--set-json' ? [argument] : splitUnescaped(argument, ',');
  const assignments: SetAssignment[] = [];
  for (const piece of pieces) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    assignments.push({ flag, path: parseSetKey(piece.slice(0, eq)), value: setValue(flag, piece.slice(eq + 1)) });
  }
  return assignments;
}

/** One values source per assignment, so later ones override earlier ones like any other source. */
export function assignmentSource(assignment: SetAssignment): ValuesSource {
  const tree: Record<string, unknown> = {};
  setIn(tree, assignment.path, assignment.value);
  const origins = new Map<string, ValueOrigin>();
  const origin: ValueOrigin = { file: assignment.flag, path: formatValuesPath(assignment.path) };
  origins.set(pathKey(assignment.path), origin);
  return { tree, origins };
}
