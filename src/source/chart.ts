import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { UsageError } from '../errors.js';

export interface LocalChart {
  /** The chart directory as the user gave it. */
  dir: string;
  /** Chart.yaml as shown to the user (the chart argument joined with Chart.yaml). */
  chartFile: string;
  name: string;
  appVersion: string | null;
  appVersionLine: number | null;
  appVersionColumn: number | null;
  /** Chart.yaml `dependencies` aliases by chart name. */
  aliases: Record<string, string>;
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
 * Returns Chart.yaml facts for a local chart directory; null for charts helm fetches or unpacks itself.
 */
export function inspectChartArgument(chart: string, options: { hasRepoFlag: boolean }): LocalChart | null {
  const stats = statOrNull(chart);
  if (!stats) {
    if (REMOTE_CHART.test(chart) || options.hasRepoFlag || (REPO_CHART.test(chart) && !chart.startsWith('.'))) {
      return null;
    }
    throw new UsageError(`chart not found: ${chart} (no such file or directory)`);
  }
  if (stats.isFile()) {
    if (/\.(tgz|tar\.gz)$/.test(chart)) return null;
    throw new UsageError(`not a chart: ${chart} is a file; give a chart directory or a packaged .tgz`);
  }
  const chartFile = join(chart, 'Chart.yaml');
  let text: string;
  try {
    text = readFileSync(chartFile, 'utf8');
  } catch {
    throw new UsageError(`not a chart: ${chart} has no Chart.yaml`);
  }
  return readChartYaml(chart, chartFile, text);
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

export function readChartYaml(dir: string, chartFile: string, text: string): LocalChart {
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
