/** `.imageguard.yaml`: discovery, reading with positions, validation, and merging with command-line flags. */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { UsageError } from '../errors.js';
import { DEFAULT_MUTABLE_TAGS } from '../image/classify.js';
import type { LintSettings } from '../lint/engine.js';
import type { RuleSeverity } from '../rules/types.js';
import { defaultConfig, type IgnoreEntry, type ImageguardConfig } from './types.js';
import { checkConfig, makeLocator, type Locator, type Problem, type RawConfig } from './validate.js';

/** Looked for in this order; `.yaml` is the documented name. */
export const CONFIG_FILE_NAMES: readonly string[] = ['.imageguard.yaml', '.imageguard.yml'];
/** More problems than this are summarised: the first few are what the user fixes first anyway. */
const MAX_PROBLEMS = 3;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The config file in `startDir` or the nearest parent (up to and including `stopAt`, else the filesystem
 * root), or null. Both spellings in one directory is an error: one of them would be silently ignored.
 */
export function findConfigFile(startDir: string, stopAt?: string): string | null {
  const stop = stopAt === undefined ? null : resolve(stopAt);
  let dir = resolve(startDir);
  for (;;) {
    const found = CONFIG_FILE_NAMES.map((name) => join(dir, name)).filter(isFile);
    if (found.length > 1) throw new UsageError(`both ${found.join(' and ')} exist; keep one`);
    if (found[0] !== undefined) return found[0];
    const parent = dirname(dir);
    if (dir === stop || parent === dir) return null;
    dir = parent;
  }
}

function usageError(file: string, problems: readonly Problem[]): UsageError {
  const lines = problems.slice(0, MAX_PROBLEMS).map((p) => {
    const where = p.line === null ? file : `${file}:${p.line}`;
    return p.path === '' ? `${where}: ${p.message}` : `${where}: ${p.path}: ${p.message}`;
  });
  const more = problems.length - MAX_PROBLEMS;
  if (more > 0) lines.push(`(${more} more problem${more === 1 ? '' : 's'} not shown)`);
  return new UsageError(lines.join('\n'));
}

/** Reads and validates a config file; every problem is a UsageError (exit 2) naming file:line and path. */
export function loadConfigFile(file: string): ImageguardConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read config file ${file}${code ? ` (${code})` : ''}`, { cause: e });
  }
  return parseConfig(text, file);
}

/** Pure part of loadConfigFile: `file` is only used in messages and in the result. */
export function parseConfig(text: string, file: string): ImageguardConfig {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw usageError(
      file,
      doc.errors.map((e) => ({ line: counter.linePos(e.pos[0]).line, path: '', message: `invalid YAML: ${e.message}` })),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS(); // yaml's default alias limit stops alias bombs
  } catch (e) {
    throw new UsageError(`${file}: invalid YAML: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  // An empty or comment-only file is the default config.
  if (data === null || data === undefined) return defaultConfig(file);
  const locate = makeLocator(doc, counter);
  if (typeof data !== 'object' || Array.isArray(data)) {
    const got = Array.isArray(data) ? 'a list' : JSON.stringify(data);
    throw usageError(file, [{ line: locate([]), path: '', message: `the top level must be a mapping of settings (got ${got})` }]);
  }
  const record = { ...(data as Record<string, unknown>) };
  // `ignore:` with every entry commented out is null: treat a known key with no value as absent.
  for (const key of ['rules', 'mutableTags', 'floating', 'requireDigest', 'ignore']) {
    if (record[key] === null) delete record[key];
  }
  const problems = checkConfig(record, locate);
  if (problems.length > 0) throw usageError(file, problems);
  return buildConfig(record as RawConfig, file, locate);
}

function buildConfig(raw: RawConfig, file: string, locate: Locator): ImageguardConfig {
  const severities: Record<string, RuleSeverity> = { ...raw.rules };
  // Conflicts with `rules` were rejected by checkConfig, so the shorthands only fill in.
  if (raw.floating !== undefined) severities['no-floating-tag'] = raw.floating;
  if (raw.requireDigest !== undefined) severities['require-digest'] = raw.requireDigest ? 'error' : 'off';
  const tags = raw.mutableTags;
  const mutableTags = Array.isArray(tags)
    ? { add: [...tags], replace: null }
    : { add: [...(tags?.add ?? [])], replace: tags?.replace ? [...tags.replace] : null };
  const ignore: IgnoreEntry[] = (raw.ignore ?? []).map((entry, i) => ({
    image: entry.image ?? null,
    rule: entry.rule ?? 'all',
    resource: entry.resource ?? null,
    reason: entry.reason.trim(),
    expires: entry.expires ?? null,
    line: locate(['ignore', String(i)]),
  }));
  return { file, severities, mutableTags, ignore };
}

export interface SettingsFlags {
  /** `--require-digest`: forces require-digest to error whatever the config says. */
  requireDigest?: boolean;
  /** `--mutable-tag` values: added on top of the config's list (like the config's `add`). */
  mutableTags?: string[];
}

/** Lint settings from the config, with command-line flags winning. */
export function settingsFromConfig(config: ImageguardConfig, flags: SettingsFlags = {}): LintSettings {
  const base = config.mutableTags.replace ?? DEFAULT_MUTABLE_TAGS;
  const mutableTags = [...new Set([...base, ...config.mutableTags.add, ...(flags.mutableTags ?? [])])];
  const severities: Record<string, RuleSeverity> = { ...config.severities };
  if (flags.requireDigest) severities['require-digest'] = 'error';
  return { mutableTags, severities };
}
