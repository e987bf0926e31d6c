/**
 * The origins of a values file read by fast-values.ts: a Map whose entries come from the full, position-keeping
 * parse, which runs only when a position (or the whole map) is asked for. `get` answers from the tree alone with
 * an origin whose line and column are read on first use, so merging values and looking up a few paths
 * (the violations, the images found) costs one full parse per file that is actually pointed at, or none.
 */
import { formatValuesPath, type ValueOrigin, type ValuesPath } from './types.js';

const SEPARATOR = '\u0000';

/** The path of `key` (pathKey) in `tree`, with list indices as numbers; null when the tree has no such node. */
function pathIn(tree: unknown, key: string): ValuesPath | null {
  if (key === '') return null; // the root has no origin
  const path: (string | number)[] = [];
  let node = tree;
  for (const segment of key.split(SEPARATOR)) {
    if (Array.isArray(node)) {
      const index = /^(?:0|[1-9]\d*)$/.test(segment) ? Number(segment) : -1;
      if (index < 0 || index >= node.length) return null;
      path.push(index);
      node = node[index];
    } else if (node !== null && typeof node === 'object' && Object.hasOwn(node, segment)) {
      path.push(segment);
      node = (node as Record<string, unknown>)[segment];
    } else {
      return null;
    }
  }
  return path;
}

/** Every node's origin without a position, in document order. */
function originsOfTree(tree: unknown, file: string): Map<string, ValueOrigin> {
  const out = new Map<string, ValueOrigin>();
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (path.length > 0) out.set(path.map(String).join(SEPARATOR), { file, path: formatValuesPath(path) });
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...path, i]));
    else if (node !== null && typeof node === 'object') for (const [key, child] of Object.entries(node)) visit(child, [...path, key]);
  };
  visit(tree, []);
  return out;
}

export class LazyOrigins extends Map<string, ValueOrigin> {
  #full: Map<string, ValueOrigin> | undefined;

  constructor(
    private readonly tree: unknown,
    private readonly file: string,
    private readonly parseFully: () => Map<string, ValueOrigin>,
  ) {
    super();
  }

  #materialized(): Map<string, ValueOrigin> {
    if (!this.#full) {
      try {
        this.#full = this.parseFully();
      } catch {
        // The fast reader took text the full parser refuses (it is the more lenient): no positions, same paths.
        this.#full = originsOfTree(this.tree, this.file);
      }
    }
    return this.#full;
  }

  override get(key: string): ValueOrigin | undefined {
    if (this.#full) return this.#full.get(key);
    const path = pathIn(this.tree, key);
    if (path === null) return undefined;
    const positionOf = (): ValueOrigin | undefined => this.#materialized().get(key);
    return {
      file: this.file,
      path: formatValuesPath(path),
      get line() {
        return positionOf()?.line;
      },
      get column() {
        return positionOf()?.column;
      },
    };
  }

  override has(key: string): boolean {
    return this.#full ? this.#full.has(key) : pathIn(this.tree, key) !== null;
  }

  override get size(): number {
    return this.#materialized().size;
  }

  override set(key: string, value: ValueOrigin): this {
    this.#materialized().set(key, value);
    return this;
  }

  override delete(key: string): boolean {
    return this.#materialized().delete(key);
  }

  override clear(): void {
    this.#materialized().clear();
  }

  override forEach(callback: (value: ValueOrigin, key: string, map: Map<string, ValueOrigin>) => void, thisArg?: unknown): void {
    this.#materialized().forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  override keys(): MapIterator<string> {
    return this.#materialized().keys();
  }

  override values(): MapIterator<ValueOrigin> {
    return this.#materialized().values();
  }

  override entries(): MapIterator<[string, ValueOrigin]> {
    return this.#materialized().entries();
  }

  override [Symbol.iterator](): MapIterator<[string, ValueOrigin]> {
    return this.entries();
  }
}
