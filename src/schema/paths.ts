/**
 * Where imageguard may write: only inside the chart directory it was given, after resolving symlinks. A
 * values.schema.json (or values.yaml, or a subchart directory) that is a symlink to somewhere else is refused,
 * and a symlink inside the chart is written through, so the link itself stays.
 */
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { UsageError } from '../errors.js';

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real directory of a chart, for containment checks. */
export function realChartDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    throw new UsageError(`chart not found: ${dir} (no such directory)`);
  }
}

/**
 * The real path to write `file` to, checked to be inside `root` (a real path). `display` names it in messages.
 * A missing file is fine when its directory is inside.
 */
export function writableTarget(file: string, root: string, display: string): string {
  let stats;
  try {
    stats = lstatSync(file);
  } catch {
    stats = null;
  }
  let real: string;
  if (stats === null) {
    real = join(realpathOr(dirname(file), display), basename(file));
  } else {
    try {
      real = realpathSync(file);
    } catch {
      throw new UsageError(`refusing to write ${display}: it is a symlink to a file that does not exist`);
    }
  }
  if (!inside(root, real)) {
    throw new UsageError(`refusing to write ${display}: it ${stats?.isSymbolicLink() ? 'is a symlink that points' : 'resolves to'} outside the chart directory (${real})`);
  }
  return real;
}

function realpathOr(dir: string, display: string): string {
  try {
    return realpathSync(dir);
  } catch {
    throw new UsageError(`cannot write ${display}: ${dir} does not exist`);
  }
}

/** A local chart directory, or a usage error that says what is wrong with the argument. */
export function checkChartDir(chart: string, command: string): void {
  if (/\.(tgz|tar\.gz)$/.test(chart) || /^(oci|https?):\/\//.test(chart)) {
    throw new UsageError(`${command} needs a chart directory (got ${chart}); unpack the chart first`);
  }
  let directory = false;
  try {
    directory = statSync(chart).isDirectory();
  } catch {
    throw new UsageError(`chart not found: ${chart} (no such directory)`);
  }
  if (!directory) throw new UsageError(`not a chart: ${chart} is a file; give a chart directory`);
  if (!existsSync(join(chart, 'Chart.yaml'))) throw new UsageError(`not a chart: ${chart} has no Chart.yaml`);
}
