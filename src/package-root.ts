import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root (where package.json, schemas/ and templates-lib/ live), found by walking up from
 * this module: the same answer from src/ (tests), dist/ (tsc output) and a single-file bundle.
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'helm-imageguard') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('imageguard: cannot find its package root (package.json of helm-imageguard)');
    dir = parent;
  }
}

export const PACKAGE_ROOT: string = findPackageRoot();
