/**
 * Coalesces values sources the way helm does for provenance purposes: later sources win, mappings merge,
 * lists and scalars replace, and a null in a later source deletes the key (helm's documented way to unset a
 * chart default). Every effective scalar keeps the origin of the source that set it.
 */
import { isTree, type Tree } from './tree.js';
import { pathKey, type ValueOrigin, type ValuesPath, type ValuesSource } from './types.js';

export interface EffectiveValues {
  tree: Tree;
  /** Origin of each effective node, keyed by pathKey. */
  origins: Map<string, ValueOrigin>;
}

export interface PlacedSource {
  source: ValuesSource;
  /** Where the source's root sits in the parent's values: [] for the chart, ['sub'] for a subchart's values.yaml. */
  prefix: ValuesPath;
}

function dropOrigins(origins: Map<string, ValueOrigin>, path: ValuesPath): void {
  const key = pathKey(path);
  for (const existing of [...origins.keys()]) {
    if (existing === key || existing.startsWith(`${key}\u0000`)) origins.delete(existing);
  }
}

export function mergeSources(sources: readonly PlacedSource[]): EffectiveValues {
  const tree: Tree = {};
  const origins = new Map<string, ValueOrigin>();
  for (const { source, prefix } of sources) {
    // Make sure the prefix exists as mappings.
    let parent: Tree = tree;
    for (const key of prefix) {
      if (!isTree(parent[key])) parent[key as string] = {};
      parent = parent[key as string] as Tree;
    }
    const stack: { value: unknown; relative: ValuesPath; target: Tree; key: string }[] = [];
    // Children are pushed in reverse so they are processed, and so inserted, in document order.
    if (isTree(source.tree)) {
      for (const [key, value] of Object.entries(source.tree).reverse()) stack.push({ value, relative: [key], target: parent, key });
    }
    while (stack.length > 0) {
      const { value, relative, target, key } = stack.pop()!;
      const full = [...prefix, ...relative];
      const origin = source.origins.get(pathKey(relative));
      // Only a key that already exists can have origins to drop (keeps big values files linear).
      const existed = key in target;
      if (value === null || value === undefined) {
        delete target[key];
        if (existed) dropOrigins(origins, full);
        continue;
      }
      if (isTree(value)) {
        if (!isTree(target[key])) {
          if (existed) dropOrigins(origins, full);
          target[key] = {};
        }
        if (origin && !origins.has(pathKey(full))) origins.set(pathKey(full), origin);
        for (const [childKey, child] of Object.entries(value).reverse()) {
          stack.push({ value: child, relative: [...relative, childKey], target: target[key] as Tree, key: childKey });
        }
        continue;
      }
      if (existed) dropOrigins(origins, full);
      target[key] = value;
      if (origin) origins.set(pathKey(full), origin);
      if (Array.isArray(value)) {
        // Lists replace wholesale; keep the positions of their elements.
        for (const [entryKey, entryOrigin] of source.origins) {
          const relKey = pathKey(relative);
          if (entryKey.startsWith(`${relKey}\u0000`)) {
            origins.set(pathKey(prefix) === '' ? entryKey : `${pathKey(prefix)}\u0000${entryKey}`, entryOrigin);
          }
        }
      }
    }
  }
  return { tree, origins };
}
