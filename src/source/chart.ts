import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { UsageError } from '../errors.js';

export interface LocalChart {
  /** Chart.yaml as shown to the user (the chart argument joined with Chart.yaml). */
  chartFile: string;
  appVersion: string | null;
  appVersionLine: number | null;
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
  return readChartYaml(chartFile, text);
}

export function readChartYaml(chartFile: string, text: string): LocalChart {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new UsageError(`${chartFile}:${line}: invalid YAML: ${error.message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) throw new UsageError(`${chartFile}: expected a mapping with apiVersion, name and version`);
  const node = doc.contents.get('appVersion', true);
  if (!isScalar(node) || node.value === null || node.value === undefined) {
    return { chartFile, appVersion: null, appVersionLine: null };
  }
  // An unquoted `appVersion: 1.10` is a float to YAML; keep the text the author wrote.
  const [start = 0, end = 0] = node.range ?? [];
  const appVersion = typeof node.value === 'string' ? node.value : text.slice(start, end).trim();
  return { chartFile, appVersion, appVersionLine: lineCounter.linePos(start).line };
}
