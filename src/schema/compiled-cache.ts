/**
 * Compiled values schemas, cached as ajv's standalone code under the user's cache directory. ajv writes and compiles
 * JavaScript for a whole schema before it checks one value (about 80 ms for cert-manager's 114 KB schema), and
 * validate checks once per process; with the cache an unchanged schema costs a file read instead.
 * Location: $IMAGEGUARD_CACHE_DIR, else $XDG_CACHE_HOME/imageguard, else ~/.cache/imageguard (as helm keeps
 * ~/.cache/helm). IMAGEGUARD_NO_CACHE=1 turns it off. The cache is only a speed-up: an entry that cannot be read or
 * run is a miss, and a write that fails is skipped.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/output.js';

// Part of every key: bump it when the way a schema is prepared or compiled changes (src/schema/ajv.ts).
const FORMAT = 'imageguard-values-schema-1';
/** The module name the standalone code requires for RE2-aware regular expressions (see ajv.ts). */
export const RE2_MODULE = 'imageguard:re2';

const require = createRequire(import.meta.url);

export type CheckValues = (values: unknown) => boolean;

export function schemaCacheDir(env: NodeJS.ProcessEnv): string | null {
  if (env.IMAGEGUARD_NO_CACHE === '1' || env.IMAGEGUARD_NO_CACHE === 'true') return null;
  if (env.IMAGEGUARD_CACHE_DIR) return join(env.IMAGEGUARD_CACHE_DIR, 'schemas');
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'imageguard', 'schemas');
}

let ajvVersion: string | undefined;

/** The cache file of a prepared schema: its text, its draft, ajv's version and FORMAT decide it. */
export function schemaCacheFile(dir: string, draft: string, prepared: unknown): string {
  ajvVersion ??= (require('ajv/package.json') as { version: string }).version;
  const hash = createHash('sha256').update(`${FORMAT}\n${ajvVersion}\n${draft}\n${JSON.stringify(prepared)}`).digest('hex');
  return join(dir, `${hash}.js`);
}

/**
 * The cache runs code from disk: only from a file this user owns that nobody else may write, in a directory nobody
 * else may write (a shared IMAGEGUARD_CACHE_DIR such as /tmp must not let another user plant code).
 */
function trusted(file: string): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true; // no owners to compare (Windows)
  return [file, dirname(file)].every((path) => {
    const stats = statSync(path);
    return stats.uid === uid && (stats.mode & 0o022) === 0;
  });
}

/** The cached check for a schema, or null (no entry, an untrusted one, or one that does not load). */
export function loadCachedCheck(file: string, compileRe2: (pattern: string, flags: string) => RegExp): CheckValues | null {
  let code: string;
  try {
    if (!trusted(file)) return null;
    code = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const module = { exports: {} as unknown };
    const requireFor = (id: string): unknown => (id === RE2_MODULE ? { compileRe2 } : require(id));
    // The cache holds code this CLI wrote (ajv's standalone output); it runs with nothing but ajv's runtime.
    new Function('require', 'module', 'exports', code)(requireFor, module, module.exports);
    return typeof module.exports === 'function' ? (module.exports as CheckValues) : null;
  } catch {
    return null;
  }
}

export function storeCachedCheck(file: string, code: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileAtomic(file, code);
    chmodSync(file, 0o600); // see trusted(): whatever the umask, only this user may change what runs
  } catch {
    // a read-only or full cache directory only costs speed
  }
}
