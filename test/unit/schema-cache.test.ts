// The compiled-schema cache (src/schema/compiled-cache.ts): a second compile of the same schema reads ajv's
// standalone code instead of compiling, answers exactly as ajv does (RE2 patterns included), and a broken or
// unwritable cache only costs speed.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileValuesSchema } from '../../src/schema/ajv.js';
import { schemaCacheDir } from '../../src/schema/compiled-cache.js';
import { violations } from '../../src/schema/violations.js';

const scratch = mkdtempSync(join(tmpdir(), 'imageguard-schema-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  properties: {
    image: {
      properties: {
        // RE2 only: JavaScript cannot read (?i) inline; ajv.ts translates it, and so must the cached code.
        tag: { type: 'string', not: { pattern: '(?i)^latest$' } },
        pullPolicy: { enum: ['Always', 'IfNotPresent'] },
      },
    },
  },
};
const samples = [{ image: { tag: '1.2.3' } }, { image: { tag: 'LATEST' } }, { image: { tag: 7 } }, { image: { pullPolicy: 'Never' } }, {}];
const describeAll = (dir: string | null): string[][] =>
  samples.map((values) => violations(compileValuesSchema(schema, 'values.schema.json', 'imageguard', dir), values, [], new Map(), 's').map((v) => `${v.path.join('.')}: ${v.message}`));

describe('compiled-schema cache', () => {
  it('writes one entry, then answers from it exactly as a fresh compile does', () => {
    const dir = join(scratch, 'a');
    const uncached = describeAll(null);
    expect(uncached[1]).toEqual(['image.tag: "LATEST" must not match the schema (not)']);
    expect(describeAll(dir)).toEqual(uncached); // fills the cache
    const entries = readdirSync(dir);
    expect(entries).toHaveLength(1);
    expect(readFileSync(join(dir, entries[0]!), 'utf8')).toContain('require("imageguard:re2")');
    const cached = compileValuesSchema(schema, 'values.schema.json', 'imageguard', dir);
    expect(samples.map((values) => cached.accepts(values))).toEqual([true, false, false, false, true]);
    expect(describeAll(dir)).toEqual(uncached);
  });

  it('a changed schema gets its own entry', () => {
    const dir = join(scratch, 'b');
    compileValuesSchema(schema, 'x', 'imageguard', dir);
    compileValuesSchema({ ...schema, required: ['image'] }, 'x', 'imageguard', dir);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('a corrupt entry is a miss and is rewritten; an unwritable cache is no error', () => {
    const dir = join(scratch, 'c');
    compileValuesSchema(schema, 'x', 'imageguard', dir);
    const [entry] = readdirSync(dir);
    writeFileSync(join(dir, entry!), 'module.exports = (');
    expect(describeAll(dir)).toEqual(describeAll(null));
    expect(readFileSync(join(dir, entry!), 'utf8')).toContain('validate');
    const blocked = join(scratch, 'file');
    writeFileSync(blocked, 'not a directory');
    expect(describeAll(join(blocked, 'schemas'))).toEqual(describeAll(null));
  });

  it('runs no entry that others could have written, and keeps its own entries private', () => {
    const dir = join(scratch, 'd');
    compileValuesSchema(schema, 'x', 'imageguard', dir);
    const entry = join(dir, readdirSync(dir)[0]!);
    expect(statSync(entry).mode & 0o777).toBe(0o600);
    const planted = 'globalThis.__imageguardPlanted = true; module.exports = () => true;';
    writeFileSync(entry, planted);
    chmodSync(entry, 0o666);
    expect(describeAll(dir)).toEqual(describeAll(null)); // a planted "always valid" would have hidden every violation
    expect((globalThis as { __imageguardPlanted?: boolean }).__imageguardPlanted).toBeUndefined();
    expect(statSync(entry).mode & 0o777).toBe(0o600); // rewritten by this user
    expect(readFileSync(entry, 'utf8')).not.toBe(planted);
  });

  it('lives under IMAGEGUARD_CACHE_DIR, XDG_CACHE_HOME or ~/.cache, and IMAGEGUARD_NO_CACHE turns it off', () => {
    expect(schemaCacheDir({ IMAGEGUARD_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/c/schemas');
    expect(schemaCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/imageguard/schemas');
    expect(schemaCacheDir({ HOME: '/h' })).toBe('/h/.cache/imageguard/schemas');
    expect(schemaCacheDir({ IMAGEGUARD_NO_CACHE: '1', IMAGEGUARD_CACHE_DIR: '/c' })).toBeNull();
  });
});
