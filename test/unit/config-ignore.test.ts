import { describe, expect, it } from 'vitest';
import { imageFinding } from '../helpers/report-builders.js';
import { applyIgnores, globMatch, imageForms } from '../../src/config/ignore.js';
import type { IgnoreEntry } from '../../src/config/types.js';
import type { Finding } from '../../src/report/types.js';

const TODAY = '2026-06-15';

// The shared builder, on Deployment `web` (the resource globs below match that name).
function finding(overrides: Partial<Finding> = {}): Finding {
  return imageFinding({
    message: 'm',
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' },
    line: null,
    ...overrides,
  });
}

function entry(overrides: Partial<IgnoreEntry>): IgnoreEntry {
  return { image: null, rule: 'all', resource: null, reason: 'because', expires: null, line: null, ...overrides };
}

const suppressedBy = (e: IgnoreEntry, f: Finding = finding()): boolean =>
  applyIgnores([f], [e], TODAY).suppressed.length === 1;

describe('globMatch', () => {
  it.each([
    ['nginx', 'nginx', true],
    ['nginx', 'nginx2', false],
    ['nginx*', 'nginx:1.27', true],
    ['*', '', true],
    ['*', 'a/b/c', true],
    ['ghcr.io/*', 'ghcr.io/acme/app:1', true],
    ['*/app:*', 'ghcr.io/acme/app:1', true],
    ['nginx:1.2?', 'nginx:1.27', true],
    ['nginx:1.2?', 'nginx:1.2', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['*x?z*', 'xxyz', true],
    ['a.b', 'axb', false],
    ['(a+)+', '(a+)+', true],
    ['Deployment/*', 'deployment/web', false],
  ])('%s vs %s -> %s', (pattern, s, expected) => {
    expect(globMatch(pattern, s)).toBe(expected);
  });

  it('is fast on hostile input', () => {
    const s = 'a'.repeat(50_000);
    const patterns = [`${'*a'.repeat(40)}*b`, `*${'a?'.repeat(50)}b*`, `${'a*'.repeat(2_000)}b`];
    const start = performance.now();
    for (const pattern of patterns) expect(globMatch(pattern, s)).toBe(false);
    expect(performance.now() - start).toBeLessThan(1_000);
  });
});

describe('imageForms', () => {
  it('includes written, normalised, familiar and name-only forms', () => {
    expect(imageForms('nginx:1.27')).toEqual(['nginx:1.27', 'docker.io/library/nginx:1.27', 'docker.io/library/nginx', 'nginx']);
  });

  it('keeps only the written form of an invalid reference', () => {
    expect(imageForms('Nginx:')).toEqual(['Nginx:']);
  });
});

describe('applyIgnores: matching', () => {
  it.each([
    ['written form', 'nginx:*', 'nginx:latest', true],
    ['normalised form', 'docker.io/library/nginx:*', 'nginx:latest', true],
    ['familiar form of a normalised image', 'nginx:latest', 'docker.io/library/nginx:latest', true],
    ['repository name alone', 'nginx', 'nginx:latest', true],
    ['registry glob', 'docker.io/*', 'bitnami/redis:latest', true],
    ['other repository', 'redis*', 'nginx:latest', false],
    ['name-only glob does not cross repositories', 'nginx', 'nginx-exporter:latest', false],
    ['other tag', 'nginx:stable', 'nginx:latest', false],
    ['invalid image as written', 'Nginx:*', 'Nginx:', true],
  ])('image glob: %s', (_name, glob, image, expected) => {
    expect(suppressedBy(entry({ image: glob }), finding({ image }))).toBe(expected);
  });

  it('never matches an image glob against a chart-level finding', () => {
    expect(suppressedBy(entry({ image: '*' }), finding({ image: null, resource: null, ruleId: 'no-latest-appversion' }))).toBe(false);
  });

  it.each([
    ['the same rule', 'no-latest-tag', true],
    ['all', 'all', true],
    ['another rule', 'no-floating-tag', false],
  ])('rule: %s', (_name, rule, expected) => {
    expect(suppressedBy(entry({ rule }))).toBe(expected);
  });

  it.each([
    ['Kind/name', 'Deployment/web', true],
    ['Kind/name glob', 'Deployment/w*', true],
    ['name', 'web', true],
    ['name glob', 'we?', true],
    ['any kind', '*/web', true],
    ['other kind', 'StatefulSet/web', false],
    ['other name', 'api', false],
  ])('resource: %s', (_name, resource, expected) => {
    expect(suppressedBy(entry({ resource }))).toBe(expected);
  });

  it.each([
    ['all three match', { image: 'nginx*', rule: 'no-latest-tag', resource: 'Deployment/web' }, true],
    ['image differs', { image: 'redis*', rule: 'no-latest-tag', resource: 'Deployment/web' }, false],
    ['rule differs', { image: 'nginx*', rule: 'no-mutable-tag', resource: 'Deployment/web' }, false],
    ['resource differs', { image: 'nginx*', rule: 'no-latest-tag', resource: 'Deployment/api' }, false],
  ])('every field set must match: %s', (_name, fields, expected) => {
    expect(suppressedBy(entry(fields))).toBe(expected);
  });

  it('suppresses with the first matching entry and keeps the rest', () => {
    const web = finding();
    const api = finding({ resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: null, name: 'api' } });
    const redis = finding({ image: 'redis:latest', resource: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: null, name: 'db' } });
    const entries = [entry({ resource: 'api', reason: 'first', expires: '2026-12-31' }), entry({ image: 'nginx', reason: 'second' })];
    const result = applyIgnores([web, api, redis], entries, TODAY);
    expect(result.findings).toEqual([redis]);
    expect(result.suppressed).toEqual([
      { ...web, suppression: { source: 'config', reason: 'second', expires: null } },
      { ...api, suppression: { source: 'config', reason: 'first', expires: '2026-12-31' } },
    ]);
    expect(result.expired).toEqual([]);
  });
});

describe('applyIgnores: expiry', () => {
  it('applies an entry through its expiry day', () => {
    expect(suppressedBy(entry({ image: 'nginx:*', expires: TODAY }))).toBe(true);
  });

  it('stops applying an expired entry and reports it', () => {
    const old = entry({ image: 'nginx:*', expires: '2026-06-14', line: 7 });
    const result = applyIgnores([finding()], [old], TODAY);
    expect(result.findings).toEqual([finding()]);
    expect(result.suppressed).toEqual([]);
    expect(result.expired).toEqual([old]);
  });

  it('reports an expired entry once, even if it matched nothing or several findings', () => {
    const unused = entry({ image: 'redis:*', expires: '2025-01-01' });
    const broad = entry({ rule: 'all', expires: '2026-01-01' });
    const result = applyIgnores([finding(), finding({ image: 'nginx:stable' })], [unused, broad], TODAY);
    expect(result.expired).toEqual([unused, broad]);
    expect(result.findings).toHaveLength(2);
  });

  it('reports expired entries with no findings at all', () => {
    const unused = entry({ image: 'redis:*', expires: '2025-01-01' });
    expect(applyIgnores([], [unused], TODAY)).toEqual({ findings: [], suppressed: [], expired: [unused] });
  });
});
