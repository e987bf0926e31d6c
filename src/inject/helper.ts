/**
 * The guard helper's identity: a first-line marker `imageguard-helper vN sha256:<hex>` where the checksum covers
 * everything after that line. An unchanged copy verifies; a copy an author edited does not, and inject leaves it
 * alone unless forced. Named templates carry the version (`imageguard.v1.image`), so an older copy in a subchart
 * defines other names and cannot replace the parent's (defines are global; HELM-FACTS.md).
 */
import { createHash } from 'node:crypto';

export const HELPER_FILE = '_imageguard.tpl';
export const LIBRARY_CHART = 'imageguard-lib';

const MARKER_LINE = /^\{\{- \/\* imageguard-helper v(\d+) sha256:([0-9a-f]{64}) \*\/ -\}\}\r?\n/;
/** A call site (or define) of any helper version: `"imageguard.v3.image"`. */
export const VERSIONED_NAME = /"imageguard\.v(\d+)\.(\w+)"/g;

export interface HelperState {
  /** Version from the marker; null when there is no marker (not ours, or its first line was edited). */
  version: number | null;
  /** True unless the marker is present and the checksum matches the content. */
  edited: boolean;
}

export function checksum(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Reads the marker of a helper text (a file, or the content of an --into block). */
export function inspectHelper(text: string): HelperState {
  const marker = MARKER_LINE.exec(text);
  if (!marker) return { version: null, edited: true };
  const body = text.slice(marker[0].length);
  return { version: Number(marker[1]), edited: checksum(body) !== marker[2] };
}

/** The helper text with its marker's checksum recomputed (for the shipped file's consistency test). */
export function sealHelper(text: string): string {
  const marker = MARKER_LINE.exec(text);
  if (!marker) throw new Error('helper text has no imageguard-helper marker line');
  const body = text.slice(marker[0].length);
  return marker[0].replace(/sha256:[0-9a-f]{64}/, `sha256:${checksum(body)}`) + body;
}

/** The public entry point of a helper version. */
export function imageTemplateName(version: number): string {
  return `imageguard.v${version}.image`;
}

/** Library chart version for a helper version: helper v1 is imageguard-lib 1.0.0. */
export function libraryChartVersion(version: number): string {
  return `${version}.0.0`;
}
