import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError } from '../errors.js';
import { compareText } from '../compare.js';

// Not charts of their own (charts/ holds subcharts helm renders with their parent) or not worth walking.
const SKIP_DIRS = new Set(['charts', 'node_modules', '.git', 'templates']);

/** Every directory with a Chart.yaml below `root` (root included), sorted, skipping subcharts under charts/. */
export function findCharts(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (dir === root) throw new UsageError(`cannot read --recursive directory ${root}: ${(error as Error).message}`);
      return;
    }
    if (entries.some((entry) => entry.isFile() && entry.name === 'Chart.yaml')) found.push(dir);
    if (depth > 16) return;
    for (const entry of entries) {
      if (entry.isDirectory() && !SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(join(dir, entry.name), depth + 1);
    }
  };
  walk(root, 0);
  return found.sort((a, b) => compareText(relative(root, a), relative(root, b)));
}
