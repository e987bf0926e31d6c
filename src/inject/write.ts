/** Writes a plan: each file atomically, only below the chart's real directory, never through a symbolic link. */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { writeFilesAtomic } from '../io/output.js';
import type { Plan } from './types.js';

/** Throws unless every directory from the chart root to `rel` is a real directory (or missing) and the file is a regular file (or missing). */
export function assertWritable(root: string, rel: string, shown: string): string {
  const parts = rel.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) throw new UsageError(`refusing to write ${shown}/${rel}: not a path inside the chart`);
  let at = root;
  for (const [i, part] of parts.entries()) {
    at = join(at, part);
    let stats;
    try {
      stats = lstatSync(at);
    } catch {
      break; // missing from here on: created below the last real directory
    }
    const last = i === parts.length - 1;
    if (stats.isSymbolicLink()) throw new UsageError(`refusing to write ${shown}/${rel}: ${shown}/${parts.slice(0, i + 1).join('/')} is a symbolic link`);
    if (last ? !stats.isFile() : !stats.isDirectory()) throw new UsageError(`refusing to write ${shown}/${rel}: ${shown}/${parts.slice(0, i + 1).join('/')} is not a ${last ? 'file' : 'directory'}`);
  }
  return join(root, ...parts);
}

/** Checks every target before writing any, and writes all or nothing, so a refusal leaves the chart untouched. */
export function writePlan(root: string, shown: string, plan: Plan): void {
  const writes = plan.files.map((file) => ({ path: assertWritable(root, file.rel, shown), content: file.after, before: file.before }));
  writeFilesAtomic(writes);
}
