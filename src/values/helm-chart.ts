/**
 * A local chart directory as helm loads it for values: Chart.yaml, values.yaml (every document), values.schema.json
 * and the unpacked subcharts under charts/ matched to Chart.yaml `dependencies` (alias, condition, tags).
 * Packaged subcharts (charts/*.tgz) are not read: they are listed in `packaged` so callers can say so.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { UsageError } from '../errors.js';
import { parseValuesDocuments, readValuesText } from './load.js';
import type { ValuesSource } from './types.js';

export interface Dependency {
  name: string;
  alias: string | null;
  /** Comma-separated condition paths, as written. */
  condition: string | null;
  tags: string[];
}

export interface HelmChart {
  dir: string;
  name: string;
  appVersion: string | null;
  /** values.yaml documents (empty when there is no values.yaml). */
  values: ValuesSource[];
  valuesFile: string | null;
  /** values.schema.json path, or null when the chart has none. */
  schemaFile: string | null;
  dependencies: Dependency[];
  /** Chart.yaml has a `dependencies` list (helm only processes conditions and imports then). */
  listsDependencies: boolean;
  /** Unpacked subcharts, by chart name, in directory order. */
  subcharts: HelmChart[];
  /** Packaged subcharts that were not read. */
  packaged: string[];
}

const MAX_DEPTH = 8;

function readChartMeta(dir: string): { name: string; appVersion: string | null; dependencies: Dependency[]; listsDependencies: boolean } {
  const file = join(dir, 'Chart.yaml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`not a chart: ${dir} has no Chart.yaml`);
  }
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) throw new UsageError(`${file}: invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const meta = (doc.toJS() ?? {}) as { name?: unknown; appVersion?: unknown; dependencies?: unknown };
  if (typeof meta.name !== 'string' || meta.name === '') throw new UsageError(`${file}: the chart has no name`);
  const dependencies: Dependency[] = [];
  for (const raw of Array.isArray(meta.dependencies) ? (meta.dependencies as unknown[]) : []) {
    const dep = (raw ?? {}) as { name?: unknown; alias?: unknown; condition?: unknown; tags?: unknown };
    if (typeof dep.name !== 'string') continue;
    dependencies.push({
      name: dep.name,
      alias: typeof dep.alias === 'string' && dep.alias !== '' ? dep.alias : null,
      condition: typeof dep.condition === 'string' && dep.condition !== '' ? dep.condition : null,
      tags: Array.isArray(dep.tags) ? (dep.tags as unknown[]).filter((tag): tag is string => typeof tag === 'string') : [],
    });
  }
  const appVersion = meta.appVersion === undefined || meta.appVersion === null ? null : String(meta.appVersion);
  return { name: meta.name, appVersion, dependencies, listsDependencies: Array.isArray(meta.dependencies) };
}

/** Reads a chart and its unpacked subcharts. `helmTypes` values, every document kept. */
export function loadHelmChart(dir: string, display: string = dir, depth = 0): HelmChart {
  const meta = readChartMeta(dir);
  const valuesPath = join(dir, 'values.yaml');
  const valuesDisplay = join(display, 'values.yaml');
  const hasValues = existsSync(valuesPath);
  const values = hasValues ? parseValuesDocuments(readValuesText(valuesPath, valuesDisplay), valuesDisplay, { helmTypes: true }) : [];
  const schemaPath = join(dir, 'values.schema.json');
  const chart: HelmChart = {
    dir,
    name: meta.name,
    appVersion: meta.appVersion,
    values,
    valuesFile: hasValues ? valuesDisplay : null,
    schemaFile: existsSync(schemaPath) ? schemaPath : null,
    dependencies: meta.dependencies,
    listsDependencies: meta.listsDependencies,
    subcharts: [],
    packaged: [],
  };
  const chartsDir = join(dir, 'charts');
  if (depth >= MAX_DEPTH || !existsSync(chartsDir)) return chart;
  for (const entry of readdirSync(chartsDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(chartsDir, entry.name);
    if (entry.isFile() && /\.(tgz|tar\.gz)$/.test(entry.name)) chart.packaged.push(path);
    else if ((entry.isDirectory() || entry.isSymbolicLink()) && existsSync(join(path, 'Chart.yaml'))) {
      chart.subcharts.push(loadHelmChart(path, join(display, 'charts', entry.name), depth + 1));
    }
  }
  return chart;
}

export interface ChartInstance {
  chart: HelmChart;
  /** The key of its values in the parent (alias or name). */
  key: string;
  dependency: Dependency | null;
}

/**
 * The subcharts as helm instantiates them (processDependencyEnabled): charts under charts/ that no dependency
 * names, then each `dependencies` entry that has a chart (an alias makes a copy named after the alias).
 */
export function instances(chart: HelmChart): ChartInstance[] {
  if (!chart.listsDependencies) return chart.subcharts.map((sub) => ({ chart: sub, key: sub.name, dependency: null }));
  const listed = new Set(chart.dependencies.map((dependency) => dependency.name));
  const out: ChartInstance[] = chart.subcharts
    .filter((sub) => !listed.has(sub.name))
    .map((sub) => ({ chart: sub, key: sub.name, dependency: null }));
  for (const dependency of chart.dependencies) {
    const sub = chart.subcharts.find((candidate) => candidate.name === dependency.name);
    if (sub) out.push({ chart: sub, key: dependency.alias ?? sub.name, dependency });
  }
  return out;
}
