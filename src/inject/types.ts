/** What inject reads from a chart (load.ts) and what it decides to write (plan.ts). */
import type { HelmIgnore, IgnoreRule } from './helmignore.js';

/** A template file or directory below templates/ that helm skips because of a .helmignore rule. */
export interface IgnoredPath {
  /** Chart-relative POSIX path; a directory ends in `/`. */
  path: string;
  rule: IgnoreRule;
}

export interface ChartSnapshot {
  /** The chart directory as the user gave it, for messages and diff labels. */
  shown: string;
  chartYaml: string;
  valuesYaml: string | null;
  /** `.yaml`, `.yml` and `.tpl` files below templates/, by chart-relative POSIX path. */
  templates: Map<string, string>;
  /** Files of charts/imageguard-lib by path relative to that directory; null when it does not exist. */
  library: Map<string, string> | null;
  /** Packaged copies (charts/imageguard-lib-*.tgz), which inject cannot inspect. */
  libraryPackages: string[];
  hasChartLock: boolean;
  /** Things the loader skipped (symlinks out of the chart). */
  skipped: string[];
  /** The chart's .helmignore rules (with helm's default), to check where inject writes. */
  ignore: HelmIgnore;
  /** Templates (and directories of them) helm skips, so inject neither reads nor edits them. */
  ignored: IgnoredPath[];
}

export interface ShippedHelper {
  /** templates-lib/_imageguard.tpl */
  text: string;
  version: number;
  /** templates-lib/imageguard-lib files by path relative to that directory. */
  library: Map<string, string>;
}

export interface InjectOptions {
  /** A template file (relative to templates/) to hold the helper as a delimited block. */
  into?: string;
  library: boolean;
  rewrite: boolean;
  force: boolean;
}

export interface PlannedFile {
  /** Chart-relative POSIX path. */
  rel: string;
  /** null when the file is created. */
  before: string | null;
  after: string;
  /** Unified diff for a changed existing file, '' for a created one. */
  diff: string;
  /** One line for stderr: what happens to this file. */
  summary: string;
}

export interface Plan {
  files: PlannedFile[];
  /** Lines for stderr, in order: per-line findings (`file:line: ...`) and notes. */
  messages: string[];
  rewritten: number;
  unrecognised: number;
}
