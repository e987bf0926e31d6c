/** Files as lines, and line edits: every inject transform says which lines it replaces, so diffs are exact. */

export interface TextLines {
  lines: string[];
  /** False when the last line has no newline (diff prints `\ No newline at end of file`). */
  finalNewline: boolean;
}

/** Replace `deleteCount` lines at `start` (0-based, in the original) with `insert`. */
export interface LineEdit {
  start: number;
  deleteCount: number;
  insert: string[];
}

export function toLines(text: string): TextLines {
  if (text === '') return { lines: [], finalNewline: true };
  const lines = text.split('\n');
  const finalNewline = lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();
  return { lines, finalNewline };
}

export function fromLines({ lines, finalNewline }: TextLines): string {
  if (lines.length === 0) return '';
  return lines.join('\n') + (finalNewline ? '\n' : '');
}

/** Edits sorted by position; throws on overlap (a bug in a transform, never user input). */
export function sortEdits(edits: readonly LineEdit[]): LineEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.deleteCount - b.deleteCount);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    if (previous.start + previous.deleteCount > sorted[i]!.start) throw new Error('overlapping line edits');
  }
  return sorted;
}

/**
 * Applies edits. Appending after a last line that has no newline first gives that line its newline, as an edit
 * of its own line, so the diff shows it.
 */
export function applyEdits(text: TextLines, edits: readonly LineEdit[]): { text: TextLines; edits: LineEdit[] } {
  let sorted = sortEdits(edits);
  const count = text.lines.length;
  let finalNewline = text.finalNewline;
  if (!finalNewline && count > 0 && sorted.some((edit) => edit.start === count && edit.insert.length > 0)) {
    const appended = sorted.filter((edit) => edit.start === count).flatMap((edit) => edit.insert);
    let rest = sorted.filter((edit) => edit.start !== count);
    const touching = rest.find((edit) => edit.start + edit.deleteCount === count && edit.deleteCount > 0);
    if (touching) rest = rest.map((edit) => (edit === touching ? { ...edit, insert: [...edit.insert, ...appended] } : edit));
    else rest.push({ start: count - 1, deleteCount: 1, insert: [text.lines[count - 1]!, ...appended] });
    sorted = sortEdits(rest);
    finalNewline = true;
  }
  const out: string[] = [];
  let at = 0;
  for (const edit of sorted) {
    out.push(...text.lines.slice(at, edit.start), ...edit.insert);
    at = edit.start + edit.deleteCount;
  }
  out.push(...text.lines.slice(at));
  return { text: { lines: out, finalNewline }, edits: sorted };
}
