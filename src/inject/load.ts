/** Reads what inject needs from a chart directory, never following a symbolic link out of it. */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { LIBRARY_CHART } from './helper.js';
import type { ChartSnapshot } from './types.js';

const TEMPLATE_FILE = /\.(ya?ml|tpl)$/;

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

const posix = (path: string): string => path.split(sep).join('/');

/** The chart directory's real path; a usage error for anything that is not an unpacked chart. */
export function chartRoot(chart: string): string {
  let stats;
  try {
    stats = statSync(chart);
  } catch {
    throw new UsageError(`chart not found: ${chart} (no such file or directory)`);
  }
  if (!stats.isDirectory()) throw new UsageError(`not a chart directory: ${chart}; inject edits an unpacked chart (helm pull --untar)`);
  const root = realpathSync(chart);
  if (!existsSync(join(root, 'Chart.yaml'))) throw new UsageError(`not a chart: ${chart} has no Chart.yaml`);
  return root;
}

function readInside(root: string, rel: string, shown: string): string | null {
  const path = join(root, rel);
  if (!existsSync(path)) return null;
  const real = realpathSync(path);
  if (!isInside(root, real)) throw new UsageError(`${shown}/${rel} is a symbolic link out of the chart; refusing to use it`);
  if (!statSync(real).isFile()) throw new UsageError(`${shown}/${rel} is not a file`);
  return readFileSync(real, 'utf8');
}

function walk(root: string, dir: string, filter: (name: string) => boolean, skipped: string[], files = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const rel = posix(relative(root, path));
    if (entry.isSymbolicLink()) {
      const real = existsSync(path) ? realpathSync(path) : null;
      if (real === null || !isInside(root, real) || !statSync(real).isFile()) {
        skipped.push(rel);
        continue;
      }
      if (filter(entry.name)) files.set(rel, readFileSync(real, 'utf8'));
    } else if (entry.isDirectory()) {
      walk(root, path, filter, skipped, files);
    } else if (entry.isFile() && filter(entry.name)) {
      files.set(rel, readFileSync(path, 'utf8'));
    }
  }
  return files;
}

function directoryInside(root: string, rel: string, shown: string): string | null {
  const path = join(root, rel);
  if (!existsSync(path)) return null;
  const real = realpathSync(path);
  if (!isInside(root, real) || lstatSync(path).isSymbolicLink()) throw new UsageError(`${shown}/${rel} is a symbolic link; refusing to use it`);
  if (!statSync(real).isDirectory()) throw new UsageError(`${shown}/${rel} is not a directory`);
  return real;
}

export function loadChart(chart: string): { root: string; snapshot: ChartSnapshot } {
  const shown = chart.replace(/\/+$/, '') || '/';
  const root = chartRoot(chart);
  const skipped: string[] = [];
  const templatesDir = directoryInside(root, 'templates', shown);
  const libraryDir = directoryInside(root, join('charts', LIBRARY_CHART), shown);
  const chartsDir = directoryInside(root, 'charts', shown);
  const snapshot: ChartSnapshot = {
    shown,
    chartYaml: readInside(root, 'Chart.yaml', shown) ?? '',
    valuesYaml: readInside(root, 'values.yaml', shown),
    templates: templatesDir ? walk(root, templatesDir, (name) => TEMPLATE_FILE.test(name), skipped) : new Map(),
    library: libraryDir ? walk(root, libraryDir, () => true, skipped) : null,
    libraryPackages: chartsDir
      ? readdirSync(chartsDir).filter((name) => name.startsWith(`${LIBRARY_CHART}-`) && name.endsWith('.tgz')).map((name) => `charts/${name}`)
      : [],
    hasChartLock: existsSync(join(root, 'Chart.lock')),
    skipped,
  };
  if (snapshot.library) {
    const prefix = `charts/${LIBRARY_CHART}/`;
    snapshot.library = new Map([...snapshot.library].map(([rel, text]) => [rel.slice(prefix.length), text]));
  }
  return { root, snapshot };
}
