/**
 * `.helmignore` as helm 3.17 and 4.1 apply it when they load a chart directory (pkg/ignore, checked against both
 * binaries by test/e2e/inject-helmignore.test.ts), so inject neither edits nor reports a template helm never sees:
 *
 * - one pattern per line, surrounding white space trimmed, a UTF-8 BOM dropped; blank lines and `#` lines skipped;
 * - Go `filepath.Match` globs (go-glob.ts); `**` and malformed patterns make helm refuse the chart, so inject too;
 * - a trailing `/` matches directories only; a pattern containing `/` matches the whole path relative to the chart
 *   root (a leading `/` is dropped), one without `/` matches the base name at any depth;
 * - a directory that is ignored is not entered, so everything below it is ignored too;
 * - rules apply in order and the first positive match ignores the path. `!PATTERN` does NOT re-include: helm ignores
 *   every path that reaches it and does not match PATTERN (so in practice `!` makes helm lose Chart.yaml);
 * - after the file's rules, helm's default `templates/.?*` ignores dot files directly in templates/.
 */
import { UsageError } from '../errors.js';
import { BadPatternError, goMatch } from './go-glob.js';

export interface IgnoreRule {
  /** The line in .helmignore (0 for helm's built-in rule). */
  line: number;
  /** The line as written (trimmed). */
  text: string;
  negate: boolean;
  directoryOnly: boolean;
  /** Match the whole chart-relative path (the pattern has a `/`) or only the base name. */
  wholePath: boolean;
  glob: string;
}

export interface HelmIgnore {
  rules: readonly IgnoreRule[];
  /** The rule that makes helm skip a chart-relative POSIX path, or null when helm loads it. */
  ruleFor(path: string, isDirectory: boolean): IgnoreRule | null;
}

export const HELMIGNORE = '.helmignore';
const DEFAULT_RULE = 'templates/.?*';
/** Go's strings.TrimSpace: Unicode white space, which unlike String.prototype.trim excludes U+FEFF. */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

function parseRule(raw: string, line: number, where: string): IgnoreRule | null {
  const text = raw.replace(GO_SPACE, '');
  if (text === '' || text.startsWith('#')) return null;
  if (text.includes('**')) throw new UsageError(`${where}:${line}: ${text}: helm does not support "**" and refuses to load the chart; list the directories instead`);
  try {
    goMatch(text, 'abc'); // helm's own validity check, on the line with its ! and trailing /
  } catch (error) {
    if (!(error instanceof BadPatternError)) throw error;
    throw new UsageError(`${where}:${line}: ${text}: not a valid pattern (helm refuses to load the chart: ${error.message})`);
  }
  let glob = text;
  const negate = glob.startsWith('!');
  if (negate) glob = glob.slice(1);
  const directoryOnly = glob.endsWith('/');
  if (directoryOnly) glob = glob.slice(0, -1);
  const wholePath = glob.includes('/');
  if (glob.startsWith('/')) glob = glob.slice(1);
  return { line, text, negate, directoryOnly, wholePath, glob };
}

function matches(rule: IgnoreRule, path: string): boolean {
  return goMatch(rule.glob, rule.wholePath ? path : (path.split('/').pop() ?? ''));
}

/** The rules of a chart's .helmignore (null: the chart has none), plus helm's default; `where` names the file in errors. */
export function parseHelmIgnore(text: string | null, where: string): HelmIgnore {
  const rules: IgnoreRule[] = [];
  // Go's bufio.ScanLines: split at \n, drop one \r before it; no final empty line.
  const lines = text === null ? [] : text.replace(/^\ufeff/, '').split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const rule = parseRule(line.replace(/\r$/, ''), i + 1, where);
    if (rule) rules.push(rule);
  });
  rules.push(parseRule(DEFAULT_RULE, 0, where)!);
  return {
    rules,
    ruleFor(path, isDirectory) {
      for (const rule of rules) {
        if (rule.negate) {
          // helm's quirk, kept on purpose: a path that does not match a `!` rule is ignored by it.
          if ((rule.directoryOnly && !isDirectory) || !matches(rule, path)) return rule;
          continue;
        }
        if (rule.directoryOnly && !isDirectory) continue;
        if (matches(rule, path)) return rule;
      }
      return null;
    },
  };
}

/** The rule that keeps helm from loading a file: its own, or its nearest ignored directory's (helm never enters it). */
export function ignoredFile(ignore: HelmIgnore, path: string): { path: string; rule: IgnoreRule } | null {
  const parts = path.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const at = parts.slice(0, i).join('/');
    const rule = ignore.ruleFor(at, i < parts.length);
    if (rule) return { path: i < parts.length ? `${at}/` : at, rule };
  }
  return null;
}

/** `.helmignore:12 "tests/"`, or what helm's built-in rule does. */
export function describeRule(rule: IgnoreRule): string {
  if (rule.line === 0) return 'helm ignores dot files in templates/';
  return `${HELMIGNORE}:${rule.line} "${rule.text}"${rule.negate ? ', and helm ignores every path a "!" rule does not match' : ''}`;
}
