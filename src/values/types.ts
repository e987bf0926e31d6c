/** Values with positions: where each leaf of the effective values came from. */

export type ValuesPath = readonly (string | number)[];

/** One place a value came from: a values file (with the scalar's position) or a --set style flag. */
export interface ValueOrigin {
  /** File as shown to the user (`chart/values.yaml`, the -f path as given) or the flag (`--set`). */
  file: string;
  /** Dotted path inside that file (`image.tag`, `sidecars[0].image`). */
  path: string;
  line?: number;
  column?: number;
}

/** A source of values, lowest precedence first when merged. */
export interface ValuesSource {
  /** The values tree; mappings are plain objects. */
  tree: unknown;
  /** Where each scalar (or empty value) of `tree` sits, keyed by pathKey(path). */
  origins: Map<string, ValueOrigin>;
}

export function pathKey(path: ValuesPath): string {
  return path.map(String).join('\u0000');
}

export function formatValuesPath(path: ValuesPath): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : /^[\w-]+$/.test(key) ? (i === 0 ? key : `.${key}`) : `["${key}"]`))
    .join('');
}
