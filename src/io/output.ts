import { randomBytes } from 'node:crypto';
import { chmodSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import type { Io } from '../cli/io.js';

/** Writes a file whole or not at all: a temp file beside it, then rename. An existing file keeps its mode. */
export function writeFileAtomic(file: string, content: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    let mode: number | null = null;
    try {
      mode = statSync(file).mode & 0o7777;
    } catch {
      // a new file
    }
    writeFileSync(temp, content, { flag: 'wx' });
    if (mode !== null) chmodSync(temp, mode);
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // the temp file was never created
    }
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

/** stdout carries only the report; --output sends it to a file instead. */
export function emitReport(text: string, output: string | undefined, io: Io): void {
  if (output && output !== '-') writeFileAtomic(output, text);
  else io.stdout(text);
}
