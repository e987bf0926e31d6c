import type { ValuesPath } from './types.js';

export type Tree = Record<string, unknown>;

export function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getIn(root: unknown, path: ValuesPath): unknown {
  let current = root;
  for (const key of path) {
    if (typeof key === 'number') current = Array.isArray(current) ? current[key] : undefined;
    else current = isTree(current) ? current[key] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** Sets a value, creating mappings (or lists for numeric keys) on the way. */
export function setIn(root: Tree, path: ValuesPath, value: unknown): void {
  let current: unknown = root;
  path.forEach((key, i) => {
    const last = i === path.length - 1;
    const nextIsIndex = typeof path[i + 1] === 'number';
    const container = current as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
      return;
    }
    const existing = container[key];
    if (typeof existing !== 'object' || existing === null) container[key] = nextIsIndex ? [] : {};
    current = container[key];
  });
}
