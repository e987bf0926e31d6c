/** Where a finding lives on disk, shared by the sarif and github formatters. Pure: no fs, only path strings. */
import { posix, win32 } from 'node:path';
import type { Finding, Report, Target } from './types.js';

export interface SourceLocation {
  /** Path as the user would type it: forward slashes, relative unless the user gave an absolute one. */
  file: string;
  line?: number;
  column?: number;
  /**
   * For a file inside a packaged chart: `file` is the archive, and this is the place inside it as the report shows
   * it (`common/values.yaml:12:3`), since a line of the archive file itself would mean nothing.
   */
  inArchive?: string;
}

export interface FindingLocation {
  primary: SourceLocation | null;
  /** The template that rendered the image, when the primary location is a values file. */
  template: SourceLocation | null;
}

// Charts helm fetches or unpacks itself: their templates are not files the user can open.
const NOT_LOCAL = /^(?:oci|https?):\/\/|\.t(?:ar\.)?gz$/i;

/** Forward slashes, no `./` or `a/../` detours. */
export function cleanPath(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/'));
}

/**
 * The file behind helm's `# Source:` path (`CHART/templates/x.yaml`, `PARENT/charts/SUB/templates/x.yaml`):
 * for a local chart directory the path under `target.chart`, otherwise the template path as helm printed it.
 * A `repo/name` chart cannot be told from a directory without fs; it is treated as a directory.
 */
export function templateFile(target: Target, template: string | null): string | null {
  if (target.chart === null) return target.manifest === '-' ? 'stdin' : target.manifest && cleanPath(target.manifest);
  if (template === null) return null;
  const slash = template.indexOf('/');
  if (NOT_LOCAL.test(target.chart) || slash < 0) return template;
  return posix.join(cleanPath(target.chart), template.slice(slash + 1));
}

/** `--set`, `--set-string`, ... name where a value came from, but they are not files. */
export function isPseudoFile(file: string): boolean {
  return file.startsWith('--');
}

// `dist/demo-1.0.0.tgz:demo/values.yaml`: a file inside a packaged chart (see values/chart-files.ts). The first
// archive is the file on disk; what follows is inside it (and may name archives nested in it).
const IN_ARCHIVE = /^(.+?\.t(?:ar\.)?gz):(?=[^/\\])/i;

/** A values or Chart.yaml location; inside an archive, the archive is the file and the rest goes to `inArchive`. */
function sourceLocation(file: string, line: number | undefined, column: number | undefined): SourceLocation {
  const archive = IN_ARCHIVE.exec(file);
  const hasLine = line !== undefined && line > 0;
  const hasColumn = hasLine && column !== undefined && column > 0;
  if (archive) {
    const where = `${file.slice(archive[0].length)}${hasLine ? `:${line}` : ''}${hasColumn ? `:${column}` : ''}`;
    return { file: cleanPath(archive[1]!), inArchive: where };
  }
  const location: SourceLocation = { file: cleanPath(file) };
  if (hasLine) location.line = line;
  if (hasColumn) location.column = column;
  return location;
}

function fromTemplate(report: Report, finding: Finding): SourceLocation | null {
  const target = report.targets[finding.target];
  const file = target ? templateFile(target, finding.template) : finding.template;
  if (file === null) return null;
  // finding.line counts lines of the rendered stream: only a --manifest file is that stream.
  const line = target?.chart === null && finding.line !== null && finding.line > 0 ? finding.line : undefined;
  return line === undefined ? { file } : { file, line };
}

/** Location preference: values file:line, then (chart-level) Chart.yaml file:line, then template, then any file. */
export function findingLocation(report: Report, finding: Finding): FindingLocation {
  const value = finding.values.find((entry) => !isPseudoFile(entry.file));
  const template = fromTemplate(report, finding);
  if (value) return { primary: sourceLocation(value.file, value.line, value.column), template };
  const own = finding.file === null ? null : sourceLocation(finding.file, finding.line ?? undefined, undefined);
  if (own && finding.image === null) return { primary: own, template: null };
  return { primary: template ?? own, template: null };
}

/**
 * A SARIF artifact URI: relative paths percent-encoded segment by segment (spaces, `:`, `#`, ...), to be read
 * against %SRCROOT%; absolute paths become file: URLs.
 */
export function artifactUri(file: string): { uri: string; relative: boolean } {
  // Not url.pathToFileURL: it resolves against the cwd, and a formatter must not depend on where it runs.
  const absolute = posix.isAbsolute(file) || win32.isAbsolute(file);
  const encoded = cleanPath(file)
    .split('/')
    .map((segment, index) => (absolute && index === 0 && /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
    .join('/');
  if (!absolute) return { uri: encoded, relative: true };
  return { uri: `file://${encoded.startsWith('/') ? '' : '/'}${encoded}`, relative: false };
}
