/** The helper and library chart this install ships in templates-lib/ (src/ and dist/ sit one level below it). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { HELPER_FILE, inspectHelper, LIBRARY_CHART } from './helper.js';
import type { ShippedHelper } from './types.js';

export function templatesLibDir(): string {
  return join(PACKAGE_ROOT, 'templates-lib');
}

function readTree(dir: string, files = new Map<string, string>(), root = dir): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) readTree(path, files, root);
    else if (entry.isFile()) files.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
  }
  return files;
}

let cached: ShippedHelper | undefined;

/** Throws a plain Error (an install problem, not a user error) when templates-lib is missing or damaged. */
export function shippedHelper(dir = templatesLibDir()): ShippedHelper {
  if (cached && dir === templatesLibDir()) return cached;
  const text = readFileSync(join(dir, HELPER_FILE), 'utf8');
  const state = inspectHelper(text);
  if (state.version === null || state.edited) throw new Error(`${join(dir, HELPER_FILE)} is damaged (its checksum does not match)`);
  const shipped = { text, version: state.version, library: readTree(join(dir, LIBRARY_CHART)) };
  if (dir === templatesLibDir()) cached = shipped;
  return shipped;
}
