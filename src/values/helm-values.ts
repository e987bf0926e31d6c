/**
 * The values helm renders a local chart with (`.Values`), built the way helm builds them, with the origin of
 * every node: -f files merged (MergeValues), the --set family parsed into that map in helm's order of flag kinds,
 * then coalesced with the chart's values.yaml and its enabled subcharts, unpacked or packaged (CoalesceValues,
 * processDependencyEnabled, coalesceGlobals). Not modelled: import-values, -f URLs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { instances, type HelmChart } from './helm-chart.js';
import { setOwn } from './json-text.js';
import { parseValuesDocuments } from './load.js';
import { modeOf, SET_FLAG_ORDER, type SetFlag } from './set-args.js';
import { parseStrvalsInto, StrvalsError, type HelmDialect } from './strvals.js';
import { getIn, isTree, type Tree } from './tree.js';
import { formatValuesPath, pathKey, type ValueOrigin, type ValuesPath, type ValuesSource } from './types.js';

export interface ValuesArgument {
  flag: '-f' | SetFlag;
  value: string;
}

/** Where a value came from; flags carry the `key=value` piece that set it. */
export interface HelmValueOrigin extends ValueOrigin {
  piece?: string;
}

export interface EnabledChart {
  chart: HelmChart;
  /** Where its values sit in the root chart's values ([] for the root). */
  prefix: ValuesPath;
}

export interface HelmValues {
  values: Tree;
  origins: Map<string, HelmValueOrigin>;
  /** The root chart and every enabled subchart, parents first. */
  charts: EnabledChart[];
  /** True when helm 3 and helm 4 could read these inputs differently (see dialectSensitive). */
  dialectSensitive: boolean;
}

export interface HelmValuesOptions {
  dialect: HelmDialect;
  cwd: string;
  readStdin: () => string;
}

/** -f and the --set family from helm's rendering flags, in argv order (`-f a.yaml,b.yaml` is two files). */
export function valuesArguments(helmArgs: readonly string[]): ValuesArgument[] {
  const out: ValuesArgument[] = [];
  for (let i = 0; i < helmArgs.length; i++) {
    const token = helmArgs[i]!;
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = eq > 0 ? token.slice(0, eq) : token.startsWith('-f') && token.length > 2 ? '-f' : token;
    const inline = eq > 0 ? token.slice(eq + 1) : name === '-f' && token !== '-f' ? token.slice(2) : null;
    if (name === '-f' || name === '--values') {
      const value = inline ?? helmArgs[++i];
      for (const file of value?.split(',') ?? []) out.push({ flag: '-f', value: file });
    } else if ((SET_FLAG_ORDER as readonly string[]).includes(name)) {
      const value = inline ?? helmArgs[++i];
      if (value !== undefined) out.push({ flag: name as SetFlag, value });
    }
  }
  return out;
}

/** Origins of a values tree, kept in step with every change helm makes to the tree. */
class Origins {
  readonly map = new Map<string, HelmValueOrigin>();

  dropUnder(path: ValuesPath): void {
    const key = pathKey(path);
    for (const existing of [...this.map.keys()]) {
      if (existing === key || existing.startsWith(`${key}\u0000`)) this.map.delete(existing);
    }
  }

  /** Records `value` (and everything inside it) at `path`, with `originOf(path)` for each node. */
  fill(path: ValuesPath, value: unknown, originOf: (path: ValuesPath) => HelmValueOrigin | undefined): void {
    const stack: { path: ValuesPath; value: unknown }[] = [{ path, value }];
    while (stack.length > 0) {
      const { path: at, value: node } = stack.pop()!;
      const origin = originOf(at);
      if (origin) this.map.set(pathKey(at), origin);
      if (Array.isArray(node)) node.forEach((item, i) => stack.push({ path: [...at, i], value: item }));
      else if (isTree(node)) for (const [key, child] of Object.entries(node)) stack.push({ path: [...at, key], value: child });
    }
  }

  copyUnder(from: ValuesPath, to: ValuesPath): void {
    const prefix = pathKey(from);
    for (const [key, origin] of [...this.map]) {
      if (key === prefix) this.map.set(pathKey(to), origin);
      else if (key.startsWith(`${prefix}\u0000`)) this.map.set(`${pathKey(to)}${key.slice(prefix.length)}`, origin);
    }
  }
}

/** loader.MergeMaps / mergeMaps: maps merge, everything else replaces; the result is new at every merged level. */
function mergeMaps(a: Tree, b: Tree, path: ValuesPath, origins: Origins, originOf: (path: ValuesPath) => HelmValueOrigin | undefined): Tree {
  const out: Tree = {};
  for (const [key, value] of Object.entries(a)) setOwn(out, key, value);
  for (const [key, value] of Object.entries(b)) {
    const here = [...path, key];
    const existing = out[key];
    if (isTree(value) && Object.hasOwn(out, key) && isTree(existing)) {
      setOwn(out, key, mergeMaps(existing, value, here, origins, originOf));
      continue;
    }
    if (Object.hasOwn(out, key)) origins.dropUnder(here);
    setOwn(out, key, value);
    origins.fill(here, value, originOf);
  }
  return out;
}

function sourceOrigin(source: ValuesSource, prefix: ValuesPath = []): (path: ValuesPath) => HelmValueOrigin | undefined {
  return (path) => source.origins.get(pathKey(path.slice(prefix.length)));
}

/** A values file's documents as helm reads them: the first (helm 3) or all, merged (helm 4). */
function documentsTree(documents: readonly ValuesSource[], display: string, dialect: HelmDialect, origins: Origins | null, base: Tree): Tree {
  let tree = base;
  const used = dialect === 3 ? documents.slice(0, 1) : documents;
  for (const doc of used) {
    if (doc.tree === null || doc.tree === undefined) continue;
    if (!isTree(doc.tree)) throw new UsageError(`${display}: the values must be a mapping (got ${Array.isArray(doc.tree) ? 'a list' : typeof doc.tree})`);
    tree = mergeMaps(tree, doc.tree, [], origins ?? new Origins(), sourceOrigin(doc));
  }
  return tree;
}

/** MergeValues: the user's values before the chart's defaults are applied. */
function userTree(args: readonly ValuesArgument[], options: HelmValuesOptions, origins: Origins): { tree: Tree; sensitive: boolean } {
  let tree: Tree = {};
  let sensitive = false;
  for (const { value: file } of args.filter((arg) => arg.flag === '-f')) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) throw new UsageError(`values file ${file}: URLs are not supported by validate (download it and pass the file)`);
    let text: string;
    try {
      text = file.trim() === '-' ? options.readStdin() : readFileSync(resolve(options.cwd, file), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot read values file ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
    const display = file.trim() === '-' ? '(stdin)' : file;
    const documents = parseValuesDocuments(text, display, { helmTypes: true });
    if (documents.filter((doc) => doc.tree !== null && doc.tree !== undefined).length > 1) sensitive = true;
    tree = documentsTree(documents, display, options.dialect, origins, tree);
  }
  for (const flag of SET_FLAG_ORDER) {
    for (const { value } of args.filter((arg) => arg.flag === flag)) {
      if (flag === '--set-json' && value.trim().startsWith('{')) {
        sensitive = true;
        if (options.dialect === 4) {
          tree = mergeMaps(tree, jsonObject(value), [], origins, (path) => flagOrigin(flag, path, value.trim()));
          continue;
        }
      }
      try {
        parseStrvalsInto(modeOf(flag), value, tree, {
          dialect: options.dialect,
          readFile: (path) => readFileSync(resolve(options.cwd, path), 'utf8'),
          onSet: (path, setValue, piece) => {
            origins.dropUnder(path);
            origins.fill(path, setValue, (at) => flagOrigin(flag, at, piece));
          },
        });
      } catch (error) {
        if (!(error instanceof StrvalsError)) throw error;
        if (error.wrapsEof) sensitive = true;
        throw new UsageError(`${flag} ${JSON.stringify(value)}: ${error.message} (helm refuses it too)`);
      }
    }
  }
  return { tree, sensitive };
}

function jsonObject(value: string): Tree {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.trim());
  } catch (error) {
    throw new UsageError(`--set-json ${JSON.stringify(value)}: invalid JSON: ${(error as Error).message}`);
  }
  if (!isTree(parsed)) throw new UsageError(`--set-json ${JSON.stringify(value)}: expected key=value or a JSON object`);
  return parsed;
}

function flagOrigin(flag: SetFlag, path: ValuesPath, piece: string): HelmValueOrigin {
  return { file: flag, path: formatValuesPath(path), piece };
}

interface Instance {
  chart: HelmChart;
  /** Where its values sit in the root chart's values. */
  prefix: ValuesPath;
  children: Instance[];
  condition: string | null;
  tags: string[];
}

function instanceTree(chart: HelmChart, prefix: ValuesPath, condition: string | null = null, tags: string[] = []): Instance {
  const children = instances(chart).map((sub) =>
    instanceTree(sub.chart, [...prefix, sub.key], sub.dependency?.condition ?? null, sub.dependency?.tags ?? []),
  );
  return { chart, prefix, children, condition, tags };
}

/** A chart's default values and their origins, relative to the chart. */
interface Defaults {
  tree: Tree;
  origins: Map<string, HelmValueOrigin>;
}

/**
 * coalesce / coalesceDeps / coalesceGlobals / coalesceTablesFullKey of helm's chartutil. `merge` keeps nulls
 * (MergeValues); without it a null from a higher source deletes the key (CoalesceValues).
 */
class Coalescer {
  constructor(
    private readonly merge: boolean,
    private readonly origins: Origins,
    private readonly defaultsOf: (node: Instance) => Defaults,
  ) {}

  /** Coalesces `node`'s defaults into `dest`, which sits at `at` in the tracked origins. */
  coalesce(node: Instance, dest: Tree, at: ValuesPath): void {
    const defaults = this.defaultsOf(node);
    const originOf = (path: ValuesPath): HelmValueOrigin | undefined => defaults.origins.get(pathKey(path.slice(at.length)));
    // coalesceValues: a subchart's section is merged keeping nulls (childChartMergeTrue), so that a null the user
    // set there removes the key in the subchart's own coalesce, below, rather than being filled again from it.
    const subchartKeys = new Set(node.children.map((child) => String(child.prefix[child.prefix.length - 1])));
    this.tables(dest, structuredClone(defaults.tree), at, originOf, this.merge, subchartKeys);
    for (const child of node.children) {
      const key = child.prefix[child.prefix.length - 1] as string;
      if (!Object.hasOwn(dest, key)) setOwn(dest, key, {});
      const sub = dest[key];
      if (!isTree(sub)) throw new UsageError(`type mismatch on ${formatValuesPath([...at, key])}: ${key} is a subchart, its values must be a mapping`);
      this.globals(sub, dest, [...at, key], at);
      this.coalesce(child, sub, [...at, key]);
    }
  }

  /** dst wins; without merge, a null in dst deletes the key. */
  private tables(
    dst: Tree,
    src: Tree,
    path: ValuesPath,
    originOf: (path: ValuesPath) => HelmValueOrigin | undefined,
    merge = this.merge,
    subchartKeys: ReadonlySet<string> = new Set(),
  ): void {
    for (const [key, value] of Object.entries(src)) {
      const here = [...path, key];
      if (!Object.hasOwn(dst, key)) {
        setOwn(dst, key, value);
        this.origins.fill(here, value, originOf);
        continue;
      }
      const current = dst[key];
      if (current === null && !merge) {
        delete dst[key];
        this.origins.dropUnder(here);
      } else if (isTree(current) && isTree(value)) {
        this.tables(current, value, here, originOf, merge || subchartKeys.has(key));
      }
    }
  }

  /** The parent's globals win over the subchart's; nested maps stay shared as in helm (copyMap is shallow). */
  private globals(dest: Tree, parent: Tree, destPath: ValuesPath, parentPath: ValuesPath): void {
    const destGlobal = Object.hasOwn(dest, 'global') ? dest.global : {};
    const parentGlobal = Object.hasOwn(parent, 'global') ? parent.global : {};
    if (!isTree(destGlobal) || !isTree(parentGlobal)) return;
    const to = [...destPath, 'global'];
    const from = [...parentPath, 'global'];
    for (const [key, value] of Object.entries(parentGlobal)) {
      if (isTree(value)) {
        const copy: Tree = { ...value };
        const existing = destGlobal[key];
        if (Object.hasOwn(destGlobal, key)) {
          if (!isTree(existing)) continue;
          this.tables(copy, existing, [...to, key], () => undefined, true);
        }
        setOwn(destGlobal, key, copy);
        this.origins.copyUnder([...from, key], [...to, key]);
      } else if (!(Object.hasOwn(destGlobal, key) && isTree(destGlobal[key]))) {
        setOwn(destGlobal, key, value);
        this.origins.dropUnder([...to, key]);
        this.origins.copyUnder([...from, key], [...to, key]);
      }
    }
    setOwn(dest, 'global', destGlobal);
  }
}

/** A chart's own values.yaml (every document for helm 4, the first for helm 3). */
function ownDefaults(chart: HelmChart, dialect: HelmDialect): Defaults {
  const origins = new Origins();
  const tree = documentsTree(chart.values, chart.valuesFile ?? chart.dir, dialect, origins, {});
  return { tree, origins: origins.map };
}

/**
 * processDependencyImportValues with merge (what helm template/install run before rendering): bottom-up, a chart
 * that lists `dependencies` gets as its defaults its values merged with its enabled subcharts' (nulls kept).
 */
function importedDefaults(dialect: HelmDialect): (node: Instance) => Defaults {
  const memo = new Map<Instance, Defaults>();
  const defaultsOf = (node: Instance): Defaults => {
    let found = memo.get(node);
    if (found) return found;
    const own = ownDefaults(node.chart, dialect);
    if (!node.chart.listsDependencies) {
      found = own;
    } else {
      const origins = new Origins();
      const tree: Tree = {};
      new Coalescer(true, origins, (n) => (n === node ? own : defaultsOf(n))).coalesce(node, tree, []);
      found = { tree, origins: origins.map };
    }
    memo.set(node, found);
    return found;
  };
  return defaultsOf;
}

/** processDependencyEnabled: drops subcharts whose condition (or tags) says so, judged on all values. */
function pruneDisabled(node: Instance, all: Tree): Instance {
  const tags = getIn(all, ['tags']);
  const enabled = (child: Instance): boolean => {
    let on = true;
    const tagValues = child.tags.map((tag) => (isTree(tags) ? tags[tag] : undefined)).filter((v) => typeof v === 'boolean');
    if (tagValues.includes(true)) on = true;
    else if (tagValues.includes(false)) on = false;
    for (const condition of child.condition?.split(',') ?? []) {
      const value = getIn(all, [...node.prefix, ...condition.trim().split('.')]);
      if (typeof value === 'boolean') {
        on = value;
        break;
      }
    }
    return on;
  };
  return { ...node, children: node.children.filter(enabled).map((child) => pruneDisabled(child, all)) };
}

function flatten(node: Instance): EnabledChart[] {
  return [{ chart: node.chart, prefix: node.prefix }, ...node.children.flatMap(flatten)];
}

/**
 * helm's `.Values` for a local chart and its values flags, with origins. Throws UsageError for what helm refuses
 * (unreadable files, malformed --set). `dialectSensitive` tells the caller that helm 3 and 4 may differ.
 */
export function helmValues(chart: HelmChart, helmArgs: readonly string[], options: HelmValuesOptions): HelmValues {
  const args = valuesArguments(helmArgs);
  const origins = new Origins();
  const user = userTree(args, options, origins);
  const full = instanceTree(chart, []);
  // processDependencyEnabled: conditions are judged on the values coalesced with every subchart's defaults.
  const probe = structuredClone(user.tree);
  new Coalescer(false, new Origins(), (node) => ownDefaults(node.chart, options.dialect)).coalesce(full, probe, []);
  const pruned = pruneDisabled(full, probe);
  const values = user.tree;
  new Coalescer(false, origins, importedDefaults(options.dialect)).coalesce(pruned, values, []);
  const charts = flatten(pruned);
  const multiDoc = charts.some(({ chart: c }) => c.values.filter((doc) => doc.tree !== null && doc.tree !== undefined).length > 1);
  return { values, origins: origins.map, charts, dialectSensitive: user.sensitive || multiDoc };
}
