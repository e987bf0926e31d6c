/**
 * Unified diff (as `diff -u` and `git diff` print it) from known line edits: inject always knows which lines it
 * replaced, so no longest-common-subsequence search (and no diff dependency) is needed.
 */
import { sortEdits, type LineEdit, type TextLines } from './lines.js';

const CONTEXT = 3;
const NO_NEWLINE = '\\ No newline at end of file';

interface Hunk {
  edits: LineEdit[];
}

function groupHunks(edits: readonly LineEdit[]): Hunk[] {
  const hunks: Hunk[] = [];
  for (const edit of edits) {
    const current = hunks[hunks.length - 1];
    const last = current?.edits[current.edits.length - 1];
    if (current && last && edit.start - (last.start + last.deleteCount) <= 2 * CONTEXT) current.edits.push(edit);
    else hunks.push({ edits: [edit] });
  }
  return hunks;
}

function range(start: number, count: number): string {
  // A zero-length range names the line before it (`-0,0` for an empty file).
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

/**
 * `oldPath`/`newPath` as shown after `--- ` and `+++ ` (`/dev/null` for a created file). Returns '' when the
 * edits change nothing.
 */
export function unifiedDiff(oldPath: string, newPath: string, before: TextLines, after: TextLines, edits: readonly LineEdit[]): string {
  const oldLast = before.lines.length - 1;
  const newlineChanged = before.finalNewline !== after.finalNewline;
  const real = sortEdits(edits).filter((edit) => {
    const removed = before.lines.slice(edit.start, edit.start + edit.deleteCount);
    const changed = removed.length !== edit.insert.length || removed.some((line, i) => line !== edit.insert[i]);
    return changed || (newlineChanged && edit.start + edit.deleteCount === before.lines.length);
  });
  if (real.length === 0) return '';
  const out: string[] = [`--- ${oldPath}`, `+++ ${newPath}`];
  let delta = 0; // new line index minus old line index, before the current hunk
  for (const hunk of groupHunks(real)) {
    const first = hunk.edits[0]!;
    const lastEdit = hunk.edits[hunk.edits.length - 1]!;
    const oldStart = Math.max(0, first.start - CONTEXT);
    const oldEnd = Math.min(before.lines.length, lastEdit.start + lastEdit.deleteCount + CONTEXT);
    const newStart = oldStart + delta;
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    const context = (i: number) => {
      body.push(` ${before.lines[i]}`);
      if (i === oldLast && !before.finalNewline) body.push(NO_NEWLINE);
      oldCount++;
      newCount++;
    };
    let at = oldStart;
    for (const edit of hunk.edits) {
      for (; at < edit.start; at++) context(at);
      for (let i = edit.start; i < edit.start + edit.deleteCount; i++) {
        body.push(`-${before.lines[i]}`);
        if (i === oldLast && !before.finalNewline) body.push(NO_NEWLINE);
        oldCount++;
      }
      for (const line of edit.insert) {
        body.push(`+${line}`);
        if (newStart + newCount === after.lines.length - 1 && !after.finalNewline) body.push(NO_NEWLINE);
        newCount++;
      }
      at = edit.start + edit.deleteCount;
    }
    for (; at < oldEnd; at++) context(at);
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`, ...body);
    delta += newCount - oldCount;
  }
  return `${out.join('\n')}\n`;
}
