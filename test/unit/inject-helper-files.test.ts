/** The shipped helper files agree with each other and with src/image/classify.ts; the marker detects edits. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_MUTABLE_TAGS } from '../../src/image/classify.js';
import { shippedHelper, templatesLibDir } from '../../src/inject/assets.js';
import { checksum, imageTemplateName, inspectHelper, libraryChartVersion, sealHelper } from '../../src/inject/helper.js';
import { repoRoot } from '../helpers/helm.js';

const lib = join(repoRoot, 'templates-lib');
const helper = readFileSync(join(lib, '_imageguard.tpl'), 'utf8');

describe('templates-lib', () => {
  it('is found relative to the source tree (dist/ is at the same depth)', () => {
    expect(templatesLibDir()).toBe(lib);
  });

  it('ships a sealed helper: the marker checksum matches (run node scripts/seal-helper.mjs after editing it)', () => {
    expect(sealHelper(helper)).toBe(helper);
    expect(inspectHelper(helper)).toEqual({ version: 1, edited: false });
  });

  it('ships the same helper in the library chart, whose version follows the helper version', () => {
    const shipped = shippedHelper();
    expect(shipped.library.get('templates/_imageguard.tpl')).toBe(helper);
    const chart = parse(shipped.library.get('Chart.yaml') ?? '') as Record<string, unknown>;
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'imageguard-lib', type: 'library', version: libraryChartVersion(shipped.version) });
    expect([...shipped.library.keys()].sort()).toEqual(['Chart.yaml', 'templates/_imageguard.tpl']);
  });

  it('defines only names that carry its version', () => {
    const defines = [...helper.matchAll(/define "([^"]+)"/g)].map((m) => m[1]);
    expect(defines).toContain(imageTemplateName(1));
    for (const name of defines) expect(name).toMatch(/^imageguard\.v1\.\w+$/);
    for (const call of helper.matchAll(/include "([^"]+)"/g)) expect(call[1]).toMatch(/^imageguard\.v1\./);
  });

  it('lists the same channel names and globs as DEFAULT_MUTABLE_TAGS', () => {
    const names = /\$names := list ((?:"[^"]+" ?)+)/.exec(helper)![1]!.match(/"([^"]+)"/g)!.map((q) => q.slice(1, -1));
    const prefixes = /`\^\(([a-z|]+)\)-`/.exec(helper)![1]!.split('|').map((p) => `${p}-*`);
    const suffixes = /`-\(([a-z|]+)\)\$`/.exec(helper)![1]!.split('|').map((s) => `*-${s}`);
    const lower = DEFAULT_MUTABLE_TAGS.map((tag) => tag.toLowerCase());
    expect(names.sort()).toEqual(lower.filter((tag) => !tag.includes('*')).sort());
    expect([...prefixes, ...suffixes].sort()).toEqual(lower.filter((tag) => tag.includes('*')).sort());
  });

  it('uses no RE2-incompatible regex syntax (lookaround, backreferences)', () => {
    for (const pattern of helper.match(/`[^`]*`/g) ?? []) expect(pattern).not.toMatch(/\(\?[=!<]|\\[1-9]/);
  });
});

describe('inspectHelper', () => {
  const body = '{{- define "imageguard.v7.image" -}}x{{- end -}}\n';
  const sealed = `{{- /* imageguard-helper v7 sha256:${checksum(body)} */ -}}\n${body}`;

  it.each([
    ['an unchanged copy', sealed, { version: 7, edited: false }],
    ['an edited body', sealed.replace('x{{', 'y{{'), { version: 7, edited: true }],
    ['an edited checksum', sealed.replace(/sha256:./, 'sha256:0'), { version: 7, edited: true }],
    ['no marker', body, { version: null, edited: true }],
    ['CRLF marker line, same body', sealed.replace(' -}}\n{{- define', ' -}}\r\n{{- define'), { version: 7, edited: false }],
  ])('%s', (_name, text, expected) => {
    expect(inspectHelper(text)).toEqual(expected);
  });
});
