/**
 * Small edits to a JSON text that keep every other byte: indentation, key order, number spelling, escapes and
 * line endings of the rest of the file stay as the author wrote them. New text follows the file's own style
 * (indent unit, CRLF, compact one-line files).
 */
import type { JsonArrayNode, JsonMember, JsonNode, JsonObjectNode } from '../values/json-text.js';

export interface JsonStyle {
  eol: string;
  /** Indent unit ('  ', '    ', '\t'); '' for a one-line file. */
  unit: string;
}

export function detectStyle(text: string): JsonStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (!/\S[\s\S]*\n[\s\S]*\S/.test(text.trim())) return { eol, unit: '' };
  const indented = /\n([ \t]+)\S/.exec(text);
  return { eol, unit: indented?.[1]?.startsWith('\t') ? '\t' : (indented?.[1] ?? '  ') };
}

/** The whitespace that starts the line holding `offset`. */
export function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}

/** Whether `offset` is the first non-blank character of its line. */
function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*$/.test(text.slice(lineStart, offset));
}

/** One line with spaces after `:` and `,` (`{ "$ref": "#/x" }`), for entries written inline in a pretty file. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${inline(item)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** A value for an entry that shares its line with others: minified in a one-line file, else spaced. */
function inlineIn(value: unknown, style: JsonStyle): string {
  return style.unit === '' ? JSON.stringify(value) : inline(value);
}

/** A value as JSON text in the file's style, for a place whose line is indented by `indent`. */
export function serialize(value: unknown, style: JsonStyle, indent: string): string {
  if (style.unit === '') return JSON.stringify(value);
  return JSON.stringify(value, null, style.unit)
    .split('\n')
    .map((line, i) => (i === 0 ? line : `${indent}${line}`))
    .join(style.eol);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** Indentation of the entries of a container node (its first entry's line, else one unit more than the node). */
function entryIndent(text: string, node: JsonNode, firstEntryStart: number | undefined, style: JsonStyle): string | null {
  if (style.unit === '') return null;
  if (firstEntryStart !== undefined) return startsLine(text, firstEntryStart) ? lineIndent(text, firstEntryStart) : null;
  return lineIndent(text, node.start) + style.unit;
}

function memberText(key: string, value: unknown, style: JsonStyle, indent: string | null): string {
  const text = indent === null ? inlineIn(value, style) : serialize(value, style, indent);
  return `${JSON.stringify(key)}:${style.unit === '' ? '' : ' '}${text}`;
}

/** Replaces a member's value, or adds the member at the end of the object. */
export function setMember(text: string, object: JsonObjectNode, key: string, value: unknown, style: JsonStyle): string {
  const existing = [...object.members].reverse().find((member) => member.key === key);
  if (existing) return splice(text, existing.value.start, existing.value.end, serialize(value, style, lineIndent(text, existing.keyStart)));
  const indent = entryIndent(text, object, object.members[0]?.keyStart, style);
  const last = object.members[object.members.length - 1];
  if (last) {
    const gap = indent === null ? ' ' : `${style.eol}${indent}`;
    return splice(text, last.value.end, last.value.end, `,${gap}${memberText(key, value, style, indent)}`);
  }
  if (indent === null) return splice(text, object.start + 1, object.end - 1, memberText(key, value, style, null));
  const closing = `${style.eol}${lineIndent(text, object.start)}`;
  return splice(text, object.start + 1, object.end - 1, `${style.eol}${indent}${memberText(key, value, style, indent)}${closing}`);
}

/** Adds an element at the end of an array. */
export function appendItem(text: string, array: JsonArrayNode, value: unknown, style: JsonStyle): string {
  const indent = entryIndent(text, array, array.items[0]?.start, style);
  const last = array.items[array.items.length - 1];
  if (last) {
    const gap = indent === null ? ' ' : `${style.eol}${indent}`;
    return splice(text, last.end, last.end, `,${gap}${indent === null ? inlineIn(value, style) : serialize(value, style, indent)}`);
  }
  if (indent === null) return splice(text, array.start + 1, array.end - 1, inlineIn(value, style));
  const closing = `${style.eol}${lineIndent(text, array.start)}`;
  return splice(text, array.start + 1, array.end - 1, `${style.eol}${indent}${serialize(value, style, indent)}${closing}`);
}

/** Removes one entry (member or item) with the separator that belongs to it. */
function removeEntry(text: string, container: JsonNode, starts: number[], ends: number[], index: number): string {
  if (index > 0) return splice(text, ends[index - 1]!, ends[index]!, '');
  if (starts.length > 1) return splice(text, starts[0]!, starts[1]!, '');
  return splice(text, container.start + 1, container.end - 1, '');
}

export function removeMember(text: string, object: JsonObjectNode, member: JsonMember): string {
  const index = object.members.indexOf(member);
  return removeEntry(
    text,
    object,
    object.members.map((m) => m.keyStart),
    object.members.map((m) => m.value.end),
    index,
  );
}

export function removeItem(text: string, array: JsonArrayNode, index: number): string {
  return removeEntry(
    text,
    array,
    array.items.map((item) => item.start),
    array.items.map((item) => item.end),
    index,
  );
}
