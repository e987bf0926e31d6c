import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, sharedDir } from './helm.js';

function valuesFiles(dir: string, depth = 0): string[] {
  if (depth > 6) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return valuesFiles(path, depth + 1);
    return /^values.*\.ya?ml$|--.*\.yaml$/.test(name) ? [path] : [];
  });
}

/** Every values file of the shared corpus (variants included), the test fixtures and the bundled example. */
export function allValuesFiles(): string[] {
  return [...valuesFiles(join(sharedDir, 'corpus')), ...valuesFiles(join(repoRoot, 'test', 'fixtures')), join(repoRoot, 'examples', 'demo', 'values.yaml')];
}
