/**
 * A packaged chart (`helm package`'s .tgz) read into memory, never unpacked to disk: gunzip, tar, and the paths
 * made relative to the top directory as helm's loader does (it drops the first path segment). Entries with an
 * absolute path or a `..` segment are skipped, and so are links; the unpacked size and entry count are capped, so
 * a hostile archive is a UsageError naming it, never a crash or a huge allocation.
 */
import { statSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UsageError } from '../errors.js';
import { TarError, tarFiles } from './tar.js';

export interface ArchiveLimits {
  /** Unpacked bytes (tar stream) for an archive and every archive nested in it, together. */
  maxBytes: number;
  /** Tar entries for an archive and every archive nested in it, together. */
  maxEntries: number;
  /** Archives inside archives (`charts/*.tgz` of a packaged subchart), at most this deep. */
  maxDepth: number;
}

// Caps for a hostile archive, far above real charts (the corpus's largest, cert-manager, is 1.4 MB unpacked).
export const ARCHIVE_LIMITS: ArchiveLimits = { maxBytes: 100 * 1024 * 1024, maxEntries: 20_000, maxDepth: 8 };

/** What is left to unpack for one archive on disk and the archives inside it. */
export interface ArchiveBudget {
  limits: ArchiveLimits;
  bytes: number;
  entries: number;
}

export function archiveBudget(limits: ArchiveLimits = ARCHIVE_LIMITS): ArchiveBudget {
  return { limits, bytes: limits.maxBytes, entries: limits.maxEntries };
}

export interface ChartArchive {
  /** The top directory (the chart's name in helm's packages). */
  top: string;
  /** Regular files by path below the top directory (`values.yaml`, `charts/common-2.31.0.tgz`). */
  files: Map<string, Buffer>;
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}

function gunzip(bytes: Buffer, display: string, budget: ArchiveBudget): Buffer {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new UsageError(`${display}: not a chart archive (not gzip-compressed)`);
  try {
    // maxOutputLength stops inflating at the cap: a gzip bomb costs at most the budget, not the machine's memory.
    return gunzipSync(bytes, { maxOutputLength: Math.max(budget.bytes, 1) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UsageError(`${display}: unpacks to more than ${mib(budget.limits.maxBytes)}; imageguard reads chart archives up to that size`);
    }
    throw new UsageError(`${display}: corrupt chart archive: ${(error as Error).message}`);
  }
}

/**
 * The path below the top directory, or null for an entry to skip: absolute paths, `..` segments, Windows drive
 * letters, and the top directory itself. Backslashes are separators, as helm reads archives made on Windows.
 */
export function chartPath(name: string): { top: string; path: string } | null {
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return null;
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment === '..' || /^[A-Za-z]:$/.test(segment))) return null;
  if (segments.length < 2) return null;
  return { top: segments[0]!, path: segments.slice(1).join('/') };
}

/** Reads a chart archive from its bytes; `display` names it in errors; `budget` is shared with nested archives. */
export function readChartArchive(bytes: Buffer, display: string, budget: ArchiveBudget = archiveBudget()): ChartArchive {
  const tar = gunzip(bytes, display, budget);
  budget.bytes -= tar.length;
  let read;
  try {
    read = tarFiles(tar, { maxEntries: budget.entries });
  } catch (error) {
    if (!(error instanceof TarError)) throw error;
    if (error.message.startsWith('more than')) {
      throw new UsageError(`${display}: has more than ${budget.limits.maxEntries} entries; imageguard reads chart archives up to that many`);
    }
    throw new UsageError(`${display}: corrupt chart archive: ${error.message}`);
  }
  budget.entries -= read.entries;
  const files = new Map<string, Buffer>();
  let top: string | null = null;
  for (const entry of read.files) {
    const at = chartPath(entry.name);
    if (!at) continue;
    files.set(at.path, entry.data);
    if (at.path === 'Chart.yaml') top = at.top;
  }
  if (top === null) throw new UsageError(`${display}: not a chart archive (no Chart.yaml in its top directory)`);
  return { top, files };
}

/** Reads a chart archive file; `display` names it in errors (default: the path). */
export function readChartArchiveFile(path: string, display: string = path, budget: ArchiveBudget = archiveBudget()): ChartArchive {
  let bytes: Buffer;
  try {
    // A compressed file larger than the unpacked cap cannot fit in it: refuse before reading it.
    if (statSync(path).size > budget.limits.maxBytes) {
      throw new UsageError(`${display}: unpacks to more than ${mib(budget.limits.maxBytes)}; imageguard reads chart archives up to that size`);
    }
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read chart archive ${display}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return readChartArchive(bytes, display, budget);
}
