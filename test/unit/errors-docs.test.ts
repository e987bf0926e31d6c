/**
 * Every error message in src/ has an entry in docs/errors.md (issue 10): for each `new UsageError(`, `new HelmError(`,
 * `new KubectlError(` and `new RegistryError(`, the longest literal piece of its message template (the text between
 * `${...}` placeholders) must appear in the docs; a message with no literal piece worth matching (it passes on text
 * built elsewhere) must have its source file named in the docs. A new message without docs fails the build.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/helm.js';

const MIN_FRAGMENT = 8;
const ERROR = /new (UsageError|HelmError|KubectlError|RegistryError)\(\s*/g;

interface Message {
  file: string;
  kind: string;
  /** The template's source text, or null when the message is computed (a variable, a call). */
  template: string | null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The first argument of each `new XxxError(` when it is a string or template literal (placeholders kept). */
export function errorMessages(root: string): Message[] {
  const out: Message[] = [];
  for (const path of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(path, 'utf8');
    const file = relative(root, path);
    for (const match of text.matchAll(ERROR)) {
      let i = match.index + match[0].length;
      const quote = text[i];
      if (quote !== '`' && quote !== "'" && quote !== '"') {
        out.push({ file, kind: match[1]!, template: null });
        continue;
      }
      let template = '';
      let depth = 0;
      for (i++; i < text.length; i++) {
        const c = text[i]!;
        if (c === '\\') {
          template += text[++i];
          continue;
        }
        if (quote === '`' && c === '$' && text[i + 1] === '{') {
          depth++;
          template += '${';
          i++;
          continue;
        }
        if (depth > 0 && c === '}') depth--;
        else if (depth === 0 && c === quote) break;
        template += c;
      }
      out.push({ file, kind: match[1]!, template });
    }
  }
  return out;
}

/** The longest run of literal text of a template, trimmed of spaces and punctuation at its ends. */
export function stableFragment(template: string): string {
  const pieces: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < template.length; i++) {
    if (template[i] === '$' && template[i + 1] === '{') {
      if (depth === 0) pieces.push(current);
      current = '';
      depth++;
      i++;
    } else if (depth > 0) {
      if (template[i] === '{') depth++;
      if (template[i] === '}') depth--;
    } else current += template[i];
  }
  pieces.push(current);
  return pieces.map((piece) => piece.replace(/^[\s:;,.()'"]+|[\s:;,.('"]+$/g, '')).sort((a, b) => b.length - a.length)[0] ?? '';
}

const docs = readFileSync(join(repoRoot, 'docs', 'errors.md'), 'utf8').replace(/\\\|/g, '|');
const messages = errorMessages(repoRoot);

describe('docs/errors.md', () => {
  it('finds the messages (the extractor still works)', () => {
    expect(messages.length).toBeGreaterThan(100);
    expect(stableFragment('cannot write ${file}: ${(error as Error).message}')).toBe('cannot write');
  });

  it.each(messages.map((m) => [`${m.file}: ${m.template ?? '(computed)'}`, m] as const))('documents %s', (_name, message) => {
    const fragment = message.template === null ? '' : stableFragment(message.template).replace(/`/g, "'");
    if (fragment.length >= MIN_FRAGMENT) expect(docs, `docs/errors.md has no entry containing "${fragment}"`).toContain(fragment);
    else expect(docs, `docs/errors.md names no message from ${message.file}`).toContain(`\`${message.file}\``);
  });

  it('states each entry with its exit code', () => {
    const codes: Record<string, number> = { UsageError: 2, HelmError: 3, KubectlError: 3, RegistryError: 4 };
    for (const message of messages) {
      const fragment = message.template === null ? '' : stableFragment(message.template).replace(/`/g, "'");
      if (fragment.length < MIN_FRAGMENT) continue;
      const rows = docs.split('\n').filter((line) => line.startsWith('|') && line.includes(fragment));
      expect(rows.some((row) => row.includes(` | ${codes[message.kind]} | `)), `${fragment}: exit ${codes[message.kind]}`).toBe(true);
    }
  });
});
