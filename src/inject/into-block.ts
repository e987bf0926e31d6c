/** `inject --into _helpers.tpl`: the helper as a delimited block inside an existing template file. */
import type { LineEdit, TextLines } from './lines.js';

export const BLOCK_BEGIN = '{{- /* BEGIN imageguard helper: managed by `imageguard inject --into`; edit outside this block */ -}}';
export const BLOCK_END = '{{- /* END imageguard helper */ -}}';

export interface Block {
  /** Line indexes of the BEGIN and END lines. */
  begin: number;
  end: number;
  /** The helper text between them. */
  content: string;
}

/** The block, null when absent; throws a message (string) when the delimiters are broken. */
export function findBlock(text: TextLines): Block | null {
  const begin = text.lines.findIndex((line) => line.trim() === BLOCK_BEGIN);
  const end = text.lines.findIndex((line, i) => i > begin && line.trim() === BLOCK_END);
  if (begin < 0 && text.lines.every((line) => line.trim() !== BLOCK_END)) return null;
  if (begin < 0 || end < 0) throw new Error('has a broken imageguard block (BEGIN or END line missing)');
  if (text.lines.filter((line) => line.trim() === BLOCK_BEGIN).length > 1) throw new Error('has more than one imageguard block');
  return { begin, end, content: `${text.lines.slice(begin + 1, end).join('\n')}\n` };
}

function helperLines(helper: string): string[] {
  return helper.replace(/\n$/, '').split('\n');
}

/** Replaces the block's content, or appends a block (after a blank line) at the end of the file. */
export function blockEdit(text: TextLines, block: Block | null, helper: string): LineEdit {
  if (block) return { start: block.begin + 1, deleteCount: block.end - block.begin - 1, insert: helperLines(helper) };
  const last = text.lines[text.lines.length - 1];
  const gap = last === undefined || last.trim() === '' ? [] : [''];
  return { start: text.lines.length, deleteCount: 0, insert: [...gap, BLOCK_BEGIN, ...helperLines(helper), BLOCK_END] };
}
