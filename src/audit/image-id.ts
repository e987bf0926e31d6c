/**
 * `status.containerStatuses[].imageID` as container runtimes report it (shapes known as of 2026-11):
 *   containerd, CRI-O      `docker.io/library/nginx@sha256:<hex>` (the repository digest the node pulled)
 *   dockershim, cri-dockerd `docker-pullable://nginx@sha256:<hex>`; `docker://sha256:<hex>` for an image with no
 *                           repository digest (built or loaded on the node)
 *   some runtimes and kind  `sha256:<hex>` alone
 * The digest is the identity: two pods run the same image exactly when their digests are equal, whatever form
 * and repository name (mirror, `library/` prefix) each runtime used.
 */
import { isDigestOnly, parseAnyReference, referenceName } from '../image/reference.js';

export interface NormalizedImageID {
  /** `sha256:<hex>`; for a shape we do not recognise, the imageID itself (still fine for equality). */
  digest: string;
  /** Normalised repository (`docker.io/library/nginx`), or null when the runtime reported a bare digest. */
  repository: string | null;
}

const SCHEMES = /^(?:docker-pullable|docker|containerd|cri-o):\/\//;
const TRAILING_DIGEST = /(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/;

/** Null for an empty imageID (the container has not started yet). */
export function normalizeImageID(imageID: string | null | undefined): NormalizedImageID | null {
  const raw = (imageID ?? '').trim();
  if (raw === '') return null;
  const text = raw.replace(SCHEMES, '');
  try {
    const ref = parseAnyReference(text);
    if (isDigestOnly(ref)) return { digest: ref.digest, repository: null };
    if (ref.digest !== null) return { digest: ref.digest, repository: referenceName(ref) };
  } catch {
    // not a reference: fall through to the trailing digest, if any
  }
  const digest = TRAILING_DIGEST.exec(text)?.[1];
  return { digest: digest ?? raw, repository: null };
}

/** `sha256:0123456789ab` (12 hex digits) for text output; the full digest stays in JSON. */
export function shortDigest(digest: string): string {
  const match = /^(sha\d+):([0-9a-f]+)$/.exec(digest);
  return match ? `${match[1]}:${match[2]!.slice(0, 12)}` : digest;
}
