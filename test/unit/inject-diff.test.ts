/** The unified diffs inject prints apply with GNU patch and reproduce exactly the text inject writes. */
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/inject/diff.js';
import { applyEdits, fromLines, toLines, type LineEdit } from '../../src/inject/lines.js';
import { removeTemp, tempDir } from '../helpers/inject.js';

const dir = tempDir();
afterAll(() => removeTemp(dir));

function diffOf(before: string, edits: LineEdit[]) {
  const lines = toLines(before);
  const applied = applyEdits(lines, edits);
  return { after: fromLines(applied.text), diff: unifiedDiff('a.txt', 'a.txt', lines, applied.text, applied.edits) };
}

async function patched(before: string, diff: string, name: string): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, before);
  const result = await execa('patch', ['--quiet', '--force', file], { input: diff, reject: false });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return readFileSync(file, 'utf8');
}

const TEN = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n');
const THIRTY = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');

describe('unifiedDiff', () => {
  it('prints one hunk with three lines of context', () => {
    const { diff } = diffOf(`${TEN}\n`, [{ start: 4, deleteCount: 1, insert: ['five'] }]);
    expect(diff).toBe(
      ['--- a.txt', '+++ a.txt', '@@ -2,7 +2,7 @@', ' line 2', ' line 3', ' line 4', '-line 5', '+five', ' line 6', ' line 7', ' line 8', ''].join('\n'),
    );
  });

  it('prints nothing when the edits change nothing', () => {
    expect(diffOf(`${TEN}\n`, [{ start: 2, deleteCount: 1, insert: ['line 3'] }]).diff).toBe('');
  });

  it('marks a missing final newline on both sides when appending', () => {
    const { diff, after } = diffOf('a\nb', [{ start: 2, deleteCount: 0, insert: ['c'] }]);
    expect(after).toBe('a\nb\nc\n');
    expect(diff).toBe(['--- a.txt', '+++ a.txt', '@@ -1,2 +1,3 @@', ' a', '-b', '\\ No newline at end of file', '+b', '+c', ''].join('\n'));
  });

  it.each<[string, string, LineEdit[]]>([
    ['two far hunks', `${THIRTY}\n`, [{ start: 1, deleteCount: 1, insert: ['two'] }, { start: 25, deleteCount: 1, insert: ['twenty-six', 'more'] }]],
    ['close edits merge', `${THIRTY}\n`, [{ start: 3, deleteCount: 1, insert: ['x'] }, { start: 8, deleteCount: 2, insert: [] }]],
    ['insert at the top', `${TEN}\n`, [{ start: 0, deleteCount: 0, insert: ['first', 'second'] }]],
    ['append at the end', `${TEN}\n`, [{ start: 10, deleteCount: 0, insert: ['eleven'] }]],
    ['append without final newline', TEN, [{ start: 10, deleteCount: 0, insert: ['eleven'] }]],
    ['edit the last line without final newline', TEN, [{ start: 9, deleteCount: 1, insert: ['ten'] }]],
    ['edit in the middle without final newline', TEN, [{ start: 2, deleteCount: 1, insert: ['three'] }]],
    ['a new file', '', [{ start: 0, deleteCount: 0, insert: ['a', 'b'] }]],
    ['delete everything', `${TEN}\n`, [{ start: 0, deleteCount: 10, insert: [] }]],
    ['CRLF lines', 'a\r\nb\r\nc\r\n', [{ start: 1, deleteCount: 1, insert: ['B\r'] }]],
  ])('%s: GNU patch turns the old text into the new one', async (name, before, edits) => {
    const { diff, after } = diffOf(before, edits);
    expect(diff).not.toBe('');
    expect(await patched(before, diff, name.replace(/\W+/g, '-'))).toBe(after);
  });
});
