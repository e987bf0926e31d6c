import { statSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { UsageError } from '../errors.js';
import { archiveChart, directoryChart, type ChartFiles } from '../values/chart-files.js';

/** Chart.yaml facts. */
export interface ChartYamlFacts {
  /**
   * The chart as the user gave it: a directory, or a packaged .tgz (its .imageguard.yaml is then looked up from the
   * archive's directory upwards); for a subchart, how it is shown (`demo/charts/common-2.31.0.tgz:common`).
   */
  dir: string;
  /** Chart.yaml as shown to the user (`demo/Chart.yaml`, `demo-1.0.0.tgz:demo/Chart.yaml`). */
  chartFile: string;
  name: string;
  appVersion: string | null;
  appVersionLine: number | null;
  appVersionColumn: number | null;
  /** Chart.yaml `dependencies` aliases by chart name. */
  aliases: Record<string, string>;
}

export interface LocalChart extends ChartYamlFacts {
  /** The chart's files, on disk or read from the archive. */
  files: ChartFiles;
}

// helm resolves `repo/name` and `oci://` itself (and any name when --repo is given).
const REMOTE_CHART = /^(oci|https?):\/\//;
const REPO_CHART = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * Checks a chart argument before helm sees it, so a typo is a usage error (exit 2), not a helm failure.
 * Returns Chart.yaml facts for a local chart directory or packaged .tgz (read in memory); null for charts helm
 * fetches itself.
 */
export function inspectChartArgument(chart: string, options: { hasRepoFlag: boolean }): LocalChart | null {
  const stats = statOrNull(chart);
  if (!stats) {
    if (REMOTE_CHART.test(chart) || options.hasRepoFlag || (REPO_CHART.test(chart) && !chart.startsWith('.'))) {
      return null;
    }
    throw new UsageError(`chart not found: ${chart} (no such file or directory)`);
  }
  if (stats.isFile() && !/\.(tgz|tar\.gz)$/.test(chart)) {
    throw new UsageError(`not a chart: ${chart} is a file; give a chart directory or a packaged .tgz`);
  }
  const files = stats.isFile() ? archiveChart(chart) : directoryChart(chart);
  let text: string | null;
  try {
    text = files.read('Chart.yaml');
  } catch {
    text = null;
  }
  if (text === null) throw new UsageError(`not a chart: ${chart} has no Chart.yaml`);
  return localChart(files, text, chart);
}

function dependencyAliases(value: unknown): Record<string, string> {
  const aliases: Record<string, string> = {};
  if (!Array.isArray(value)) return aliases;
  for (const dependency of value as unknown[]) {
    const { name, alias } = (dependency ?? {}) as { name?: unknown; alias?: unknown };
    if (typeof name === 'string' && typeof alias === 'string') aliases[name] = alias;
  }
  return aliases;
}

/** A chart with its Chart.yaml facts (`text`); `dir` defaults to how the chart is shown. */
export function localChart(files: ChartFiles, text: string, dir: string = files.display): LocalChart {
  return { ...readChartYaml(dir, files.show('Chart.yaml'), text), files };
}

export function readChartYaml(dir: string, chartFile: string, text: string): ChartYamlFacts {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new UsageError(`${chartFile}:${line}: invalid YAML: ${error.message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) throw new UsageError(`${chartFile}: expected a mapping with apiVersion, name and version`);
  const name = doc.contents.get('name');
  if (typeof name !== 'string' || name === '') throw new UsageError(`${chartFile}: the chart has no name`);
  const base = { dir, chartFile, name, aliases: dependencyAliases(doc.toJS().dependencies) };
  const node = doc.contents.get('appVersion', true);
  if (!isScalar(node) || node.value === null || node.value === undefined) {
    return { ...base, appVersion: null, appVersionLine: null, appVersionColumn: null };
  }
  // An unquoted `appVersion: 1.10` is a float to YAML; keep the text the author wrote.
  const [start = 0, end = 0] = node.range ?? [];
  const appVersion = typeof node.value === 'string' ? node.value : text.slice(start, end).trim();
  const { line, col } = lineCounter.linePos(start);
  return { ...base, appVersion, appVersionLine: line, appVersionColumn: col };
}
