// validate through the built bundle with the compiled-schema cache: the cached code is valid JavaScript for draft-07
// (the bundle's own copy of ajv) and 2020-12 (node_modules' copy), and a run from the cache reports exactly what a
// compiling run reports.
import { execa } from 'execa';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'imageguard-validate-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function chart(name: string, draft: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n`);
  writeFileSync(join(dir, 'values.yaml'), 'image:\n  repository: nginx\n  tag: "1.27.3"\n');
  const schema = {
    $schema: draft,
    type: 'object',
    properties: { image: { type: 'object', properties: { tag: { type: 'string', not: { pattern: '(?i)^latest$' } } } } },
  };
  writeFileSync(join(dir, 'values.schema.json'), JSON.stringify(schema, null, 2));
  return dir;
}

describe.each([
  ['draft-07', 'http://json-schema.org/draft-07/schema#'],
  ['2020-12', 'https://json-schema.org/draft/2020-12/schema'],
])('validate with the schema cache, %s', (name, draft) => {
  it('caches valid code and reports the same from the cache', async () => {
    const dir = chart(name, draft);
    const cache = join(scratch, `cache-${name}`);
    const env = { IMAGEGUARD_CACHE_DIR: cache };
    const runs = [];
    for (let i = 0; i < 2; i++) {
      runs.push(await runCli(['validate', dir, '--set', 'image.tag=Latest'], { env }));
      runs.push(await runCli(['validate', dir], { env }));
    }
    const entries = readdirSync(join(cache, 'schemas'));
    expect(entries).toHaveLength(1);
    const check = await execa(process.execPath, ['--check', join(cache, 'schemas', entries[0]!)], { reject: false });
    expect(check.exitCode, check.stderr).toBe(0);
    expect(runs[0]!.exitCode).toBe(1);
    expect(runs[0]!.stdout).toBe('--set image.tag=Latest image.tag: "Latest" must not match the schema (not)');
    expect(runs[1]!.exitCode).toBe(0);
    expect(runs[2]).toEqual(runs[0]);
    expect(runs[3]).toEqual(runs[1]);
  });
});
