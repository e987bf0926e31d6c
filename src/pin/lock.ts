/**
 * The lock file, `imageguard.lock.yaml`: for each image (normalised reference with tag) the digest it resolved to
 * and when that digest was first resolved. Entries are sorted by image and written whole or not at all, so the file
 * only changes when a tag moved or the chart's images changed (`resolvedAt` is kept while the digest stays).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../io/output.js';

export const LOCK_FILE = 'imageguard.lock.yaml';
export const LOCK_VERSION = 1;

export interface LockEntry {
  image: string;
  digest: string;
  /** ISO 8601 UTC, e.g. 2025-01-31T12:00:00Z. */
  resolvedAt: string;
}

export interface Lock {
  entries: LockEntry[];
}

const DIGEST = /^sha(256:[a-f0-9]{64}|384:[a-f0-9]{96}|512:[a-f0-9]{128})$/;

const HEADER =
  '# imageguard.lock.yaml: the digest each image tag resolved to, written by `imageguard pin`.\n' +
  '# Deploy exactly these with `imageguard upgrade RELEASE CHART --imageguard-lock imageguard.lock.yaml`;\n' +
  '# `imageguard pin CHART --check` fails when a tag has moved since. Do not edit by hand.\n';

export function readLock(file: string): Lock {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`cannot read lock file ${file}: ${reason}`);
  }
  return parseLock(text, file);
}

export function parseLock(text: string, file: string): Lock {
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new UsageError(`${file}: invalid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const root = (data ?? {}) as { lockVersion?: unknown; images?: unknown };
  if (typeof data !== 'object' || data === null || root.lockVersion !== LOCK_VERSION) {
    throw new UsageError(`${file}: not an imageguard lock file (expected lockVersion: ${LOCK_VERSION})`);
  }
  const images = root.images ?? [];
  if (!Array.isArray(images)) throw new UsageError(`${file}: images must be a list`);
  const entries = images.map((item: unknown, index): LockEntry => {
    const { image, digest, resolvedAt } = (item ?? {}) as Record<string, unknown>;
    if (typeof image !== 'string' || typeof digest !== 'string' || !DIGEST.test(digest)) {
      throw new UsageError(`${file}: images[${index}] needs an image and a digest (sha256:<64 hex>)`);
    }
    return { image, digest, resolvedAt: typeof resolvedAt === 'string' ? resolvedAt : '' };
  });
  return { entries };
}

/** Stable text: sorted by image (code-point order, whatever the locale), every scalar double-quoted. */
export function serializeLock(lock: Lock): string {
  const sorted = [...lock.entries].sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
  const body = sorted
    .map((e) => `  - image: ${JSON.stringify(e.image)}\n    digest: ${JSON.stringify(e.digest)}\n    resolvedAt: ${JSON.stringify(e.resolvedAt)}\n`)
    .join('');
  return `${HEADER}lockVersion: ${LOCK_VERSION}\nimages:${sorted.length === 0 ? ' []' : ''}\n${body}`;
}

export function writeLock(file: string, lock: Lock): void {
  writeFileAtomic(file, serializeLock(lock));
}

/** The lock for `resolved` (image -> digest), keeping each unchanged entry's resolvedAt from `previous`. */
export function updateLock(previous: Lock | null, resolved: ReadonlyMap<string, string>, now: Date): Lock {
  const before = new Map((previous?.entries ?? []).map((entry) => [entry.image, entry]));
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const entries = [...resolved].map(([image, digest]): LockEntry => {
    const old = before.get(image);
    return { image, digest, resolvedAt: old && old.digest === digest && old.resolvedAt ? old.resolvedAt : stamp };
  });
  return { entries };
}

export interface LockDrift {
  /** Tags that point elsewhere now. */
  moved: { image: string; locked: string; now: string }[];
  /** Images the chart renders that the lock does not have. */
  missing: string[];
  /** Lock entries the chart no longer renders. */
  stale: string[];
}

export function compareLock(lock: Lock, resolved: ReadonlyMap<string, string>): LockDrift {
  const locked = new Map(lock.entries.map((entry) => [entry.image, entry.digest]));
  const drift: LockDrift = { moved: [], missing: [], stale: [] };
  for (const [image, digest] of resolved) {
    const was = locked.get(image);
    if (was === undefined) drift.missing.push(image);
    else if (was !== digest) drift.moved.push({ image, locked: was, now: digest });
  }
  drift.stale = [...locked.keys()].filter((image) => !resolved.has(image));
  return drift;
}

/** image -> digest, for the post-renderer. */
export function lockDigests(lock: Lock): Map<string, string> {
  return new Map(lock.entries.map((entry) => [entry.image, entry.digest]));
}
