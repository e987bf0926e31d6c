import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, realpathSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import type { Io } from '../cli/io.js';

/**
 * Where a write to `file` goes. A path the user named may be a symbolic link: the file it points to is replaced and
 * the link kept (as editors and `cp` do), never the link itself. A device or pipe (`-o /dev/stdout`) has no content to
 * keep intact and no directory to put a temp file in: it is written directly.
 */
function writeTarget(file: string): { path: string; direct: boolean } {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    let link = false;
    try {
      link = lstatSync(file).isSymbolicLink();
    } catch {
      // a new file
    }
    if (link) throw new UsageError(`cannot write ${file}: it is a symbolic link to a file that does not exist`);
    return { path: file, direct: false };
  }
  if (!stats.isFile()) return { path: file, direct: !stats.isDirectory() };
  return { path: realpathSync(file), direct: false };
}

/** Writes a file whole or not at all: a temp file beside it, then rename. An existing file keeps its mode. */
export function writeFileAtomic(file: string, content: string): void {
  const { path, direct } = writeTarget(file);
  if (direct) {
    try {
      writeFileSync(path, content);
    } catch (error) {
      throw new UsageError(`cannot write ${file}: ${(error as Error).message}`);
    }
    return;
  }
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    let mode: number | null = null;
    try {
      mode = statSync(path).mode & 0o7777;
    } catch {
      // a new file
    }
    writeFileSync(temp, content, { flag: 'wx' });
    if (mode !== null) chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // the temp file was never created
    }
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

export interface FileWrite {
  path: string;
  content: string;
  /** What the file held when it was read; null for a new file. */
  before: string | null;
}

/**
 * Writes several files, each atomically, as one change: when one of them cannot be written, the ones already written
 * get their old content back and new ones (and the directories made for them) are removed, so a refusal halfway
 * (a read-only subdirectory, a full disk) never leaves a chart half changed. Then the first error is thrown.
 */
export function writeFilesAtomic(writes: readonly FileWrite[]): void {
  const done: { write: FileWrite; madeDir: string | undefined }[] = [];
  for (const write of writes) {
    let madeDir: string | undefined;
    try {
      try {
        madeDir = mkdirSync(dirname(write.path), { recursive: true });
      } catch (error) {
        throw new UsageError(`cannot create ${dirname(write.path)}: ${(error as Error).message}`);
      }
      writeFileAtomic(write.path, write.content);
    } catch (error) {
      removeEmptyDirs(write.path, madeDir);
      for (const earlier of done.reverse()) undo(earlier.write, earlier.madeDir);
      throw error;
    }
    done.push({ write, madeDir });
  }
}

/** Best effort: puts back what `write` replaced (a new file is removed, with the directories made for it). */
function undo(write: FileWrite, madeDir: string | undefined): void {
  try {
    if (write.before === null) unlinkSync(write.path);
    else writeFileAtomic(write.path, write.before);
  } catch {
    // cannot be put back: the error being thrown says what failed first
  }
  removeEmptyDirs(write.path, madeDir);
}

/** Removes the directories from `file`'s up to `madeDir` (the first one this run created) while they are empty. */
function removeEmptyDirs(file: string, madeDir: string | undefined): void {
  if (madeDir === undefined) return;
  for (let dir = dirname(file); dir.length >= madeDir.length; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty: something else lives there now
    }
  }
}

/** stdout carries only the report; --output sends it to a file instead. */
export function emitReport(text: string, output: string | undefined, io: Io): void {
  if (output && output !== '-') writeFileAtomic(output, text);
  else io.stdout(text);
}
