import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
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

export interface FileWrite {
  path: string;
  content: string;
  /** What the file held when it was read; null for a new file. */
  before: string | null;
}

/** One file of a set, prepared: its new content is durable in `temp`, its current content (if any) in `backup`. */
interface Prepared {
  file: string;
  target: string;
  temp: string;
  backup: string | null;
  /** The first directory this run created for the file, removed again on failure. */
  madeDir: string | undefined;
}

/** A hidden name beside `path`, `.NAME.PID.RANDOM.tmp`: helm's `templates/.?*` and `helm create`'s *.tmp/*.bak skip it. */
const besides = (path: string, suffix: string): string => join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.${suffix}`);

/** node's message without its `, rename 'TEMP' -> 'FILE'` tail: the temp file it names is gone by now. */
const reason = (error: unknown): string => (error as Error).message.replace(/, \w+ '[^']*'( -> '[^']*')?$/, '');

const quietly = (action: () => void): void => {
  try {
    action();
  } catch {
    // best effort: what failed first is what gets reported
  }
};

/** Creates `temp` with `content` and flushes it to disk; an existing target's mode is kept. */
function writeDurably(temp: string, content: string, target: string): void {
  let mode: number | undefined;
  try {
    mode = statSync(target).mode & 0o7777;
  } catch {
    // a new file
  }
  const fd = openSync(temp, 'wx');
  try {
    if (mode !== undefined) fchmodSync(fd, mode); // exactly, whatever the umask
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The backup is a hard link to the current file (the same bytes and mode, nothing copied, and renaming it back needs
 * no free space); a copy where the filesystem has no hard links. Only a regular file is backed up: a rename over
 * anything else fails, so there is nothing to put back.
 */
function backUp(target: string): string | null {
  try {
    if (!lstatSync(target).isFile()) return null;
  } catch {
    return null; // a new file
  }
  const backup = besides(target, 'bak');
  try {
    linkSync(target, backup);
  } catch {
    copyFileSync(target, backup);
  }
  return backup;
}

function discard(prepared: Prepared): void {
  quietly(() => unlinkSync(prepared.temp));
  if (prepared.backup) quietly(() => unlinkSync(prepared.backup!));
  removeEmptyDirs(prepared.target, prepared.madeDir);
}

/**
 * Step 1: a temp file for every file, and a backup of every existing one when there are several (one rename needs
 * none); on failure nothing visible has changed and all of it is removed.
 */
function prepareAll(writes: readonly FileWrite[]): Prepared[] {
  const backups = writes.length > 1;
  const prepared: Prepared[] = [];
  try {
    for (const write of writes) {
      const { path: target } = writeTarget(write.path);
      let madeDir: string | undefined;
      try {
        madeDir = mkdirSync(dirname(target), { recursive: true });
      } catch (error) {
        throw new UsageError(`cannot create ${dirname(target)}: ${reason(error)}`);
      }
      const entry: Prepared = { file: write.path, target, temp: besides(target, 'tmp'), backup: null, madeDir };
      try {
        writeDurably(entry.temp, write.content, target);
        if (backups) entry.backup = backUp(target);
      } catch (error) {
        discard(entry);
        throw new UsageError(`cannot write ${write.path}: ${reason(error)}`);
      }
      prepared.push(entry);
    }
  } catch (error) {
    for (const entry of prepared.reverse()) discard(entry);
    throw error;
  }
  return prepared;
}

/**
 * Step 2: rename each temp file over its target, in order. When one rename fails, the targets already replaced get
 * their backups renamed back (new files are removed), then everything prepared is cleaned up and the failure thrown.
 */
function commitAll(prepared: readonly Prepared[]): void {
  for (const [i, entry] of prepared.entries()) {
    try {
      renameSync(entry.temp, entry.target);
    } catch (error) {
      const lost: string[] = [];
      for (const done of prepared.slice(0, i).reverse()) {
        try {
          if (done.backup) renameSync(done.backup, done.target);
          else unlinkSync(done.target);
          done.backup = null;
        } catch (restoreError) {
          lost.push(`could not put back ${done.file} (${reason(restoreError)})${done.backup ? `; its previous content is in ${done.backup}` : ''}`);
          done.backup = null; // keep it: it is the only copy
        }
        removeEmptyDirs(done.target, done.madeDir);
      }
      for (const rest of prepared.slice(i)) discard(rest);
      throw new UsageError(`cannot write ${entry.file}: ${reason(error)}`, lost.length > 0 ? { detail: lost.join('\n') } : undefined);
    }
  }
  for (const entry of prepared) if (entry.backup) quietly(() => unlinkSync(entry.backup!));
  // The renames are durable once their directories are flushed (not possible on every platform: best effort).
  for (const dir of new Set(prepared.map((entry) => dirname(entry.target)))) {
    quietly(() => {
      const fd = openSync(dir, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    });
  }
}

/**
 * SIGINT, SIGTERM and SIGHUP would otherwise stop the process between two renames. With a listener installed, node
 * only queues them; the listener runs after the synchronous write has finished or rolled back, and then stops the
 * process by the same signal, as if it had not been caught (so a caller still sees it was stopped). Installed once,
 * for the rest of the (short) CLI run.
 */
const HELD_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let signalsHeld = false;
function holdSignals(): void {
  if (signalsHeld) return;
  signalsHeld = true;
  const stop = (signal: NodeJS.Signals): void => {
    for (const held of HELD_SIGNALS) process.removeListener(held, stop);
    process.kill(process.pid, signal);
  };
  for (const signal of HELD_SIGNALS) process.on(signal, stop);
  // A signal's listener runs only when the event loop polls again; one more turn before exit lets a held one act.
  process.once('beforeExit', () => setImmediate(() => undefined));
}

/**
 * Writes several files as one change, as far as a filesystem allows (POSIX renames one file atomically, never a
 * set): first every new content goes to a flushed temp file beside its target and every current file gets a backup
 * (step 1, which changes nothing the user sees), then the temp files are renamed into place in order (step 2), and a
 * rename that fails puts the earlier files back from their backups. Either way no temp file or backup is left.
 * Only SIGKILL or a power cut during step 2 (renames only, microseconds) can leave the set partly replaced; the
 * hidden `.NAME.PID.RANDOM.tmp`/`.bak` files beside the targets then show which.
 */
export function writeFilesAtomic(writes: readonly FileWrite[]): void {
  holdSignals();
  commitAll(prepareAll(writes));
}

/** Writes a file whole or not at all: a temp file beside it, then rename. An existing file keeps its mode. */
export function writeFileAtomic(file: string, content: string): void {
  const { path, direct } = writeTarget(file);
  if (!direct) {
    holdSignals();
    return commitAll(prepareAll([{ path: file, content, before: null }]));
  }
  try {
    writeFileSync(path, content);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${reason(error)}`);
  }
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
