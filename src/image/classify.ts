/**
 * Sorts an image reference by how likely it is to point at different content tomorrow.
 *
 * Order of checks (first hit wins):
 *   invalid   not a reference `docker pull` would accept (parse error, also "")
 *   digest    pinned by digest, with or without a tag: immutable
 *   untagged  no tag, no digest: the runtime pulls `latest`
 *   latest    the tag is exactly `latest` (tags are case-sensitive: `LATEST` is just another
 *             tag, reported as `mutable` because the default list matches case-insensitively)
 *   mutable   the tag is a named channel from the configured list (DEFAULT_MUTABLE_TAGS)
 *   floating  a partial version that moves with each release (see isFloatingTag)
 *   version   anything else: a full version, a build ID, or a tag we cannot judge (`foo`,
 *             `prod-build-17`). Unknown shapes are not flagged, to avoid noise.
 */
import { parseNormalizedNamed, type Reference } from './reference.js';

export type ImageClass = 'digest' | 'version' | 'floating' | 'mutable' | 'latest' | 'untagged' | 'invalid';

/**
 * Tags that name a channel rather than a release. Matching is case-insensitive; an entry
 * containing `*` is a glob where `*` matches any run of characters (possibly empty) and
 * every other character matches itself. A custom list replaces this one; spread it to extend.
 */
export const DEFAULT_MUTABLE_TAGS: readonly string[] = [
  // Release channels and branches.
  'latest', 'stable', 'current', 'release', 'lts', 'mainline', 'next', 'edge', 'canary',
  'beta', 'alpha', 'rc', 'preview', 'testing', 'unstable', 'experimental', 'nightly',
  'snapshot', 'latest-dev', 'dev', 'devel', 'develop', 'development',
  'main', 'master', 'head', 'trunk',
  // Variant-only tags: `nginx:alpine` is "latest, alpine flavour".
  'alpine', 'slim',
  // Distribution codenames (as of 2026-11): `debian:bookworm` follows point releases.
  'trixie', 'bookworm', 'bullseye', 'noble', 'jammy', 'focal',
  // Globs: channel plus variant, and Maven-style snapshots.
  '*-SNAPSHOT', 'latest-*', '*-latest', 'stable-*', '*-stable', 'lts-*', '*-lts',
  'mainline-*', 'nightly-*', '*-nightly', 'edge-*', '*-edge', '*-dev',
];

export interface Classification {
  class: ImageClass;
  /** Normalised (docker.io, library/) reference; null when invalid. */
  reference: Reference | null;
  /** The parser's message when invalid, else null. */
  error: string | null;
}

export interface ClassifyOptions {
  mutableTags?: readonly string[];
  digestAlgorithms?: readonly string[];
}

/** `*`-only glob, linear time: fixed head and tail, middle pieces found left to right. */
function globMatch(pattern: string, s: string): boolean {
  const [head = '', ...rest] = pattern.split('*');
  const tail = rest.pop() ?? '';
  if (s.length < head.length + tail.length || !s.startsWith(head) || !s.endsWith(tail)) return false;
  const end = s.length - tail.length;
  let pos = head.length;
  for (const piece of rest) {
    const at = s.indexOf(piece, pos);
    if (at < 0 || at + piece.length > end) return false;
    pos = at + piece.length;
  }
  return true;
}

export function matchesMutableTag(tag: string, patterns: readonly string[] = DEFAULT_MUTABLE_TAGS): boolean {
  const t = tag.toLowerCase();
  return patterns.some((p) => {
    const q = p.toLowerCase();
    return q.includes('*') ? globMatch(q, t) : q === t;
  });
}

const PARTIAL_VERSION = /^[vV]?(\d+)(?:\.(?:\d+|x))?(?:\.x)?(?:-(.+))?$/;
const REVISION = /^r\d+$/; // Bitnami `-r51`: one exact rebuild
const BUILD_NUMBER = /^\d+$/;
const GIT_SHA = /^[0-9a-f]{7,40}$/;

/** 20240101, 202401011200, 20240101120000 with a plausible year, month and day. */
function isDateStamp(s: string): boolean {
  if (!/^\d{8}(?:\d{4}|\d{6})?$/.test(s)) return false;
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(4, 6));
  const day = Number(s.slice(6, 8));
  return year >= 1990 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** A variant segment that pins one build: revision, build number, date or git SHA. */
function isBuildMarker(segment: string, last: boolean): boolean {
  if (last && (REVISION.test(segment) || BUILD_NUMBER.test(segment))) return true;
  return isDateStamp(segment) || (GIT_SHA.test(segment) && /\d/.test(segment) && /[a-f]/.test(segment));
}

/**
 * Floating = a partial version: one or two numeric components (`1`, `16`, `1.27`, `v1`,
 * `v1.27`, `1.x`, `1.2.x`), optionally followed by `-variant` (`8.2-alpine`, `16-bookworm`,
 * `3.12-slim`, `1.27-alpine3.20`). Heuristic, shapes known as of 2026-11:
 * - three or more numeric components are exact (`1.27.3`, `1.27.3-alpine`, `v1.2.3-rc.1`,
 *   `2024.01.15`, `1.29.1-debian-12-r0`);
 * - a variant containing a build marker is exact: a final Bitnami revision (`12-debian-12-r51`),
 *   a final build number (`2.440-1`), a date stamp (`3.12-20240101`) or a git SHA;
 * - a lone number of 6+ digits is a build ID or date (`20240101`), not a major version;
 * - other shapes (`3355.v388858a_47b_33-7`, `sha-1a2b3c4`, `foo`) are not partial versions.
 */
export function isFloatingTag(tag: string): boolean {
  const m = PARTIAL_VERSION.exec(tag);
  if (m === null) return false;
  const [, major = '', variant] = m;
  if (major.length >= 6) return false;
  if (variant === undefined) return true;
  const segments = variant.split('-');
  return !segments.some((segment, i) => isBuildMarker(segment, i === segments.length - 1));
}

export function classifyImage(raw: string, opts: ClassifyOptions = {}): Classification {
  let reference: Reference;
  try {
    reference = parseNormalizedNamed(raw, { digestAlgorithms: opts.digestAlgorithms });
  } catch (e) {
    return { class: 'invalid', reference: null, error: e instanceof Error ? e.message : String(e) };
  }
  const result = (cls: ImageClass): Classification => ({ class: cls, reference, error: null });
  const { tag } = reference;
  if (reference.digest !== null) return result('digest');
  if (tag === null) return result('untagged');
  if (tag === 'latest') return result('latest');
  if (matchesMutableTag(tag, opts.mutableTags ?? DEFAULT_MUTABLE_TAGS)) return result('mutable');
  return result(isFloatingTag(tag) ? 'floating' : 'version');
}
