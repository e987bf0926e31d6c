/**
 * One chart's files, read-only: a directory on disk, or a chart inside a packaged chart (.tgz) read into memory.
 * Files inside an archive are shown as `ARCHIVE:TOP/PATH`, e.g. `mychart/charts/common-2.31.0.tgz:common/values.yaml`:
 * the part before the colon is the file on disk, the part after is the path inside it as `tar tzf` lists it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareText } from '../compare.js';
import { UsageError } from '../errors.js';
import { readIfExists } from '../io/read.js';
import { archiveBudget, readChartArchive, readChartArchiveFile, type ArchiveBudget, type ChartArchive } from './chart-archive.js';

export interface ChartFiles {
  /** The chart as shown: `mychart`, `mychart/charts/common-2.31.0.tgz:common`. */
  readonly display: string;
  /** The chart directory on disk; null for a chart inside an archive. */
  readonly dir: string | null;
  /** The archive holding the chart, as shown (`mychart/charts/common-2.31.0.tgz`); null for a directory. */
  readonly archive: string | null;
  /** A file's text (`values.yaml`, `templates/x.yaml`), or null when the chart has no such file. */
  read(name: string): string | null;
  /** How a file of the chart is shown to the user. */
  show(name: string): string;
  /**
   * The charts under charts/ as helm loads them (directories with a Chart.yaml, and .tgz files), by name. An
   * archive that cannot be read is a UsageError naming it, or left out with `skipUnreadable`.
   */
  subcharts(options?: SubchartOptions): ChartFiles[];
  /** The texts of the chart's templates/ files, recursively, in name order. */
  templates(): string[];
}

export interface SubchartOptions {
  skipUnreadable?: boolean;
}

// Cap on template files read for the appVersion heuristic (as schema/app-version.ts).
const MAX_TEMPLATES = 2000;

/** helm loads `charts/NAME.tgz` as a packaged subchart (and fails on a `.tar.gz` there), so only .tgz counts. */
const SUBCHART_ARCHIVE = /\.tgz$/;

function isKind(path: string, kind: 'file' | 'directory'): boolean {
  try {
    const stats = statSync(path);
    return kind === 'file' ? stats.isFile() : stats.isDirectory();
  } catch {
    return false;
  }
}

/** Reads a subchart archive, or skips it (null) when asked to and it cannot be read. */
function readOrSkip(read: () => ChartFiles, options: SubchartOptions | undefined): ChartFiles | null {
  if (!options?.skipUnreadable) return read();
  try {
    return read();
  } catch (error) {
    if (error instanceof UsageError) return null;
    throw error;
  }
}

class DirectoryChart implements ChartFiles {
  readonly archive = null;
  constructor(
    readonly dir: string,
    readonly display: string,
  ) {}

  read(name: string): string | null {
    return readIfExists(join(this.dir, name), this.show(name));
  }

  show(name: string): string {
    return join(this.display, name);
  }

  subcharts(options?: SubchartOptions): ChartFiles[] {
    const chartsDir = join(this.dir, 'charts');
    let names: string[];
    try {
      names = readdirSync(chartsDir).sort(compareText);
    } catch {
      names = [];
    }
    const out: ChartFiles[] = [];
    for (const name of names) {
      const path = join(chartsDir, name);
      const display = join(this.display, 'charts', name);
      // Links are followed, as helm's loader follows them.
      if (isKind(path, 'directory') && isKind(join(path, 'Chart.yaml'), 'file')) out.push(new DirectoryChart(path, display));
      else if (SUBCHART_ARCHIVE.test(name) && isKind(path, 'file')) {
        const sub = readOrSkip(() => packagedChart(readChartArchiveFile(path, display), display, archiveBudget(), 0), options);
        if (sub) out.push(sub);
      }
    }
    return out;
  }

  templates(): string[] {
    const out: string[] = [];
    const walk = (dir: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries.sort((a, b) => compareText(a.name, b.name))) {
        if (out.length >= MAX_TEMPLATES) return;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile()) {
          try {
            out.push(readFileSync(path, 'utf8'));
          } catch {
            // unreadable template: helm will say so when it renders
          }
        }
      }
    };
    walk(join(this.dir, 'templates'));
    return out;
  }
}

/** A chart inside an archive: the archive's files below `base` (`` for the packaged chart, `charts/sub/` below it). */
class ArchivedChart implements ChartFiles {
  readonly dir = null;
  constructor(
    private readonly content: ChartArchive,
    readonly archive: string,
    private readonly base: string,
    private readonly budget: ArchiveBudget,
    private readonly depth: number,
  ) {}

  get display(): string {
    return `${this.archive}:${this.content.top}${this.base === '' ? '' : `/${this.base.slice(0, -1)}`}`;
  }

  read(name: string): string | null {
    return this.content.files.get(this.base + name)?.toString('utf8') ?? null;
  }

  show(name: string): string {
    return `${this.archive}:${this.content.top}/${this.base}${name}`;
  }

  subcharts(options?: SubchartOptions): ChartFiles[] {
    const prefix = `${this.base}charts/`;
    const names = new Set<string>();
    for (const path of this.content.files.keys()) if (path.startsWith(prefix)) names.add(path.slice(prefix.length).split('/')[0]!);
    const out: ChartFiles[] = [];
    for (const name of [...names].sort(compareText)) {
      const path = prefix + name;
      const file = this.content.files.get(path);
      if (this.content.files.has(`${path}/Chart.yaml`)) {
        out.push(new ArchivedChart(this.content, this.archive, `${path}/`, this.budget, this.depth));
      } else if (file && SUBCHART_ARCHIVE.test(name)) {
        const display = this.show(path);
        const sub = readOrSkip(() => {
          if (this.depth + 1 >= this.budget.limits.maxDepth) {
            throw new UsageError(`${display}: chart archives nested more than ${this.budget.limits.maxDepth} deep`);
          }
          return packagedChart(readChartArchive(file, display, this.budget), display, this.budget, this.depth + 1);
        }, options);
        if (sub) out.push(sub);
      }
    }
    return out;
  }

  templates(): string[] {
    const prefix = `${this.base}templates/`;
    return [...this.content.files.keys()]
      .filter((path) => path.startsWith(prefix))
      .sort(compareText)
      .slice(0, MAX_TEMPLATES)
      .map((path) => this.content.files.get(path)!.toString('utf8'));
  }
}

function packagedChart(content: ChartArchive, display: string, budget: ArchiveBudget, depth: number): ChartFiles {
  return new ArchivedChart(content, display, '', budget, depth);
}

/** A chart directory; `display` is how it is shown (default: the path as given). */
export function directoryChart(dir: string, display: string = dir): ChartFiles {
  return new DirectoryChart(dir, display);
}

/** A packaged chart file (.tgz), read into memory now; errors name it as `display`. */
export function archiveChart(path: string, display: string = path): ChartFiles {
  return packagedChart(readChartArchiveFile(path, display), display, archiveBudget(), 0);
}
