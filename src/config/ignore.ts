/** Config `ignore:` entries applied to findings. Pure: `today` comes from the caller. */
import { familiarName, familiarString, parseNormalizedNamed, referenceName, referenceString } from '../image/reference.js';
import type { Finding, SuppressedFinding } from '../report/types.js';
import type { IgnoreEntry } from './types.js';

function pieceAt(piece: string, s: string, at: number): boolean {
  for (let i = 0; i < piece.length; i += 1) {
    const p = piece[i];
    if (p !== '?' && p !== s[at + i]) return false;
  }
  return true;
}

/** Leftmost position in [from, end) where `piece` fits entirely before `end`, or -1. */
function findPiece(piece: string, s: string, from: number, end: number): number {
  for (let at = from; at + piece.length <= end; at += 1) if (pieceAt(piece, s, at)) return at;
  return -1;
}

/**
 * Whole-string glob: `*` any run of characters (including `/` and none), `?` exactly one, the rest literal
 * and case-sensitive. No regex and no backtracking: the pieces between stars are fixed-length, so taking the
 * leftmost fit of each is always right, and the cost is at most |pattern| x |s|.
 */
export function globMatch(pattern: string, s: string): boolean {
  const pieces = pattern.split('*');
  const head = pieces[0] ?? '';
  if (pieces.length === 1) return s.length === head.length && pieceAt(head, s, 0);
  const tail = pieces[pieces.length - 1] ?? '';
  if (s.length < head.length + tail.length) return false;
  if (!pieceAt(head, s, 0) || !pieceAt(tail, s, s.length - tail.length)) return false;
  const end = s.length - tail.length;
  let pos = head.length;
  for (const piece of pieces.slice(1, -1)) {
    const at = findPiece(piece, s, pos, end);
    if (at < 0) return false;
    pos = at + piece.length;
  }
  return true;
}

/**
 * The strings an image glob is tried against: as written, normalised (docker.io/library/nginx:1.27) and
 * familiar (nginx:1.27), plus the repository name alone in both forms, so `image: nginx` means "nginx,
 * whatever the tag" rather than silently matching nothing.
 */
export function imageForms(image: string): string[] {
  const forms = [image];
  try {
    const ref = parseNormalizedNamed(image);
    forms.push(referenceString(ref), familiarString(ref), referenceName(ref), familiarName(ref));
  } catch {
    // Not a valid reference (valid-image-reference findings): only the written form can match.
  }
  return [...new Set(forms)];
}

function matches(entry: IgnoreEntry, finding: Finding, images: readonly string[]): boolean {
  if (entry.rule !== 'all' && entry.rule !== finding.ruleId) return false;
  if (entry.image !== null) {
    const glob = entry.image;
    if (finding.image === null || !images.some((form) => globMatch(glob, form))) return false;
  }
  if (entry.resource !== null) {
    const glob = entry.resource;
    const resource = finding.resource;
    if (resource === null) return false;
    if (!globMatch(glob, `${resource.kind}/${resource.name}`) && !globMatch(glob, resource.name)) return false;
  }
  return true;
}

export function isExpired(entry: IgnoreEntry, today: string): boolean {
  // `expires` is the last day the entry applies; YYYY-MM-DD strings compare like dates.
  return entry.expires !== null && entry.expires < today;
}

export interface IgnoreResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  /** Entries past their date, in config order, each once (whether or not they would have matched). */
  expired: IgnoreEntry[];
}

/** Splits findings into kept and suppressed; the first active entry that matches gives the reason. */
export function applyIgnores(findings: readonly Finding[], entries: readonly IgnoreEntry[], today: string): IgnoreResult {
  const expired = entries.filter((entry) => isExpired(entry, today));
  const active = entries.filter((entry) => !isExpired(entry, today));
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    // Forms parse the reference: only worth it when an entry could use them (most configs have no ignores).
    const images = finding.image === null || active.length === 0 ? [] : imageForms(finding.image);
    const entry = active.find((candidate) => matches(candidate, finding, images));
    if (entry) suppressed.push({ ...finding, suppression: { source: 'config', reason: entry.reason, expires: entry.expires } });
    else kept.push(finding);
  }
  return { findings: kept, suppressed, expired };
}
