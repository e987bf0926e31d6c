/**
 * A chart as helm loads it for values: Chart.yaml, values.yaml (every document), values.schema.json and the
 * subcharts under charts/ (directories and packaged .tgz files, read in memory) matched to Chart.yaml
 * `dependencies` (alias, condition, tags).
 */
import { parseDocument } from 'yaml';
import { UsageError } from '../errors.js';
import { directoryChart, type ChartFiles } from './chart-files.js';
import { parseValuesDocuments } from './load.js';
import type { ValuesSource } from './types.js';

export interface Dependency {
  name: string;
  alias: string | null;
  /** Comma-separated condition paths, as written. */
  condition: string | null;
  tags: string[];
}

export interface HelmChart {
  /** The chart as shown: its directory, or `ARCHIVE:NAME` for a packaged chart (see chart-files.ts). */
  dir: string;
  files: ChartFiles;
  /** The archive holding the chart, as shown; null for a chart directory. */
  archive: string | null;
  name: string;
  appVersion: string | null;
  /** values.yaml documents (empty when there is no values.yaml). */
  values: ValuesSource[];
  valuesFile: string | null;
  /** values.schema.json as shown, or null when the chart has none. */
  schemaFile: string | null;
  dependencies: Dependency[];
  /** Chart.yaml has a `dependencies` list (helm only processes conditions and imports then). */
  listsDependencies: boolean;
  /** Subcharts under charts/ (directories and .tgz files), in name order. */
  subcharts: HelmChart[];
}

const MAX_DEPTH = 8;

function readChartMeta(files: ChartFiles): { name: string; appVersion: string | null; dependencies: Dependency[]; listsDependencies: boolean } {
  const file = files.show('Chart.yaml');
  let text: string | null;
  try {
    text = files.read('Chart.yaml');
  } catch {
    text = null;
  }
  if (text === null) throw new UsageError(`not a chart: ${files.display} has no Chart.yaml`);
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

/** Reads a chart and its subcharts (a path is a chart directory). `helmTypes` values, every document kept. */
export function loadHelmChart(source: string | ChartFiles, depth = 0): HelmChart {
  const files = typeof source === 'string' ? directoryChart(source) : source;
  const meta = readChartMeta(files);
  const valuesDisplay = files.show('values.yaml');
  const valuesText = files.read('values.yaml');
  const values = valuesText === null ? [] : parseValuesDocuments(valuesText, valuesDisplay, { helmTypes: true });
  const chart: HelmChart = {
    dir: files.display,
    files,
    archive: files.archive,
    name: meta.name,
    appVersion: meta.appVersion,
    values,
    valuesFile: valuesText === null ? null : valuesDisplay,
    schemaFile: files.read('values.schema.json') === null ? null : files.show('values.schema.json'),
    dependencies: meta.dependencies,
    listsDependencies: meta.listsDependencies,
    subcharts: [],
  };
  if (depth >= MAX_DEPTH) return chart;
  chart.subcharts = files.subcharts().map((sub) => loadHelmChart(sub, depth + 1));
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
