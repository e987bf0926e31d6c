import { lstatSync, readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** A file's text, or null when it does not exist (a dangling link or another read error is a usage error). */
export function readIfExists(file: string, display: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      try {
        lstatSync(file);
      } catch {
        return null;
      }
      throw new UsageError(`cannot read ${display}: it is a symlink to a file that does not exist`);
    }
    throw new UsageError(`cannot read ${display}: ${(error as Error).message}`);
  }
}
