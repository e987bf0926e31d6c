import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { expect } from 'vitest';
import type { ValuesLocation } from '../../src/report/types.js';
import { repoRoot } from './helm.js';

/**
 * The scalar text that starts at (line, column) of a file, read independently of the code under test
 * (quotes stripped): provenance must never point at a line whose scalar differs from the value it claims.
 */
export function scalarAt(file: string, line: number, column: number): string {
  const text = readFileSync(isAbsolute(file) ? file : join(repoRoot, file), 'utf8').split('\n')[line - 1] ?? '';
  const rest = text.slice(column - 1);
  const quoted = /^(["'])(.*?)\1/.exec(rest);
  if (quoted) return quoted[2]!;
  return rest.replace(/\s+#.*$/, '').trim();
}

/** Every file location must hold the value the image shows for its path's last key. */
export function expectLocationsHold(values: readonly ValuesLocation[], expected: Record<string, string>): void {
  for (const value of values) {
    if (value.line === undefined || value.column === undefined) continue;
    const want = expected[value.path];
    if (want === undefined) continue;
    expect(scalarAt(value.file, value.line, value.column), `${value.file}:${value.line}:${value.column} (${value.path})`).toBe(want);
  }
}
