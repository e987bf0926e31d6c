/**
 * Reads what inject needs from a chart directory, never following a symbolic link out of it, and skipping the
 * templates helm itself skips because of `.helmignore` (helmignore.ts).
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { LIBRARY_CHART } from './helper.js';
import { HELMIGNORE, parseHelmIgnore, type HelmIgnore } from './helmignore.js';
import type { ChartSnapshot, IgnoredPath } from './types.js';

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

interface WalkState {
  /** Which files to read, by base name. */
  filter: (name: string) => boolean;
  /** Symbolic links out of the chart, not read. */
  skipped: string[];
  /** helm's ignore rules, and what they made the walk leave out (templates/ only). */
  ignore?: HelmIgnore;
  ignored?: IgnoredPath[];
}

/** True when helm skips `rel` (recorded for the report when it is a directory or a file the walk would read). */
function helmSkips(state: WalkState, rel: string, name: string, isDirectory: boolean): boolean {
  const rule = state.ignore?.ruleFor(rel, isDirectory);
  if (!rule) return false;
  if (isDirectory || state.filter(name)) state.ignored?.push({ path: isDirectory ? `${rel}/` : rel, rule });
  return true;
}

function walk(root: string, dir: string, state: WalkState, files = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const rel = posix(relative(root, path));
    if (entry.isSymbolicLink()) {
      const real = existsSync(path) ? realpathSync(path) : null;
      if (real === null || !isInside(root, real) || !statSync(real).isFile()) {
        state.skipped.push(rel);
        continue;
      }
      if (state.filter(entry.name) && !helmSkips(state, rel, entry.name, false)) files.set(rel, readFileSync(real, 'utf8'));
    } else if (entry.isDirectory()) {
      if (!helmSkips(state, rel, entry.name, true)) walk(root, path, state, files);
    } else if (entry.isFile() && state.filter(entry.name) && !helmSkips(state, rel, entry.name, false)) {
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
  const ignored: IgnoredPath[] = [];
  const ignore = parseHelmIgnore(readInside(root, HELMIGNORE, shown), `${shown}/${HELMIGNORE}`);
  const templatesDir = directoryInside(root, 'templates', shown);
  const templatesRule = ignore.ruleFor('templates', true);
  if (templatesDir && templatesRule) ignored.push({ path: 'templates/', rule: templatesRule });
  const libraryDir = directoryInside(root, join('charts', LIBRARY_CHART), shown);
  const chartsDir = directoryInside(root, 'charts', shown);
  const snapshot: ChartSnapshot = {
    shown,
    chartYaml: readInside(root, 'Chart.yaml', shown) ?? '',
    valuesYaml: readInside(root, 'values.yaml', shown),
    templates:
      templatesDir && !templatesRule ? walk(root, templatesDir, { filter: (name) => TEMPLATE_FILE.test(name), skipped, ignore, ignored }) : new Map(),
    library: libraryDir ? walk(root, libraryDir, { filter: () => true, skipped }) : null,
    libraryPackages: chartsDir
      ? readdirSync(chartsDir).filter((name) => name.startsWith(`${LIBRARY_CHART}-`) && name.endsWith('.tgz')).map((name) => `charts/${name}`)
      : [],
    hasChartLock: existsSync(join(root, 'Chart.lock')),
    skipped,
    ignore,
    ignored,
  };
  if (snapshot.library) {
    const prefix = `charts/${LIBRARY_CHART}/`;
    snapshot.library = new Map([...snapshot.library].map(([rel, text]) => [rel.slice(prefix.length), text]));
  }
  return { root, snapshot };
}
