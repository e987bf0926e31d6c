import { describe, expect, it } from 'vitest';
import { classifyImage, DEFAULT_MUTABLE_TAGS, isFloatingTag, matchesMutableTag, type ImageClass } from '../../src/image/classify.js';

const HEX64 = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);
const SHA512 = `sha512:${'b'.repeat(128)}`;

describe('isFloatingTag', () => {
  it.each([
    '1', '16', '1.27', 'v1', 'v1.27', 'V2', '8.2-alpine', '16-bookworm', '3.12-slim', '1.27-alpine3.20',
    '16-bookworm-slim', '24.04', '1.x', '1.2.x', '0',
  ])('%s is a partial version', (tag) => {
    expect(isFloatingTag(tag)).toBe(true);
  });

  it.each([
    ['1.27.3', 'three components'],
    ['v1.21.1', 'three components'],
    ['1.29.1-debian-12-r0', 'three components'],
    ['12-debian-12-r51', 'Bitnami revision suffix'],
    ['1-r3', 'Bitnami revision suffix'],
    ['3355.v388858a_47b_33-7', 'Jenkins plugin-style version'],
    ['v0.21.0', 'three components'],
    ['2.10.1', 'three components'],
    ['6.14.1', 'three components'],
    ['v1.15.1', 'three components'],
    ['13.2.0', 'three components'],
    ['7.69.0', 'three components'],
    ['1.38.0', 'three components'],
    ['1.4.2-debian-12-r9', 'three components'],
    ['sha-1a2b3c4', 'git SHA'],
    ['1a2b3c4d', 'bare git SHA'],
    ['3.12-1a2b3c4', 'git SHA variant'],
    ['20240101', 'date stamp'],
    ['20240101120000', 'timestamp'],
    ['2024.01.15', 'dotted date'],
    ['3.12-slim-20240101', 'dated variant'],
    ['2.440-1', 'trailing build number'],
    ['123456', 'six-digit build ID'],
    ['1.27.3-alpine', 'three components'],
    ['v1.2.3-rc.1', 'three components'],
    ['foo', 'unknown shape'],
    ['prod-build-17', 'unknown shape'],
    ['latest', 'not a version'],
    ['', 'empty'],
  ])('%s is not (%s)', (tag) => {
    expect(isFloatingTag(tag)).toBe(false);
  });
});

describe('classifyImage', () => {
  const table: [string, ImageClass][] = [
    // untagged / latest
    ['nginx', 'untagged'],
    ['registry:5000/app', 'untagged'], // port, not tag "5000/app"
    ['localhost/app', 'untagged'],
    ['nginx:latest', 'latest'],
    ['docker.io/library/nginx:latest', 'latest'],
    ['nginx:LATEST', 'mutable'], // tags are case-sensitive: not the default tag, but a channel name
    // mutable
    ['nginx:stable', 'mutable'],
    ['nginx:Stable', 'mutable'],
    ['nginx:mainline-alpine', 'mutable'],
    ['node:lts-alpine', 'mutable'],
    ['nginx:alpine', 'mutable'],
    ['debian:bookworm', 'mutable'],
    ['app:1.0-SNAPSHOT', 'mutable'],
    ['app:1.0-snapshot', 'mutable'],
    ['app:latest-alpine', 'mutable'],
    ['app:alpine-latest', 'mutable'],
    ['app:main', 'mutable'],
    ['app:nightly', 'mutable'],
    // floating
    ['nginx:1', 'floating'],
    ['postgres:16', 'floating'],
    ['nginx:1.27', 'floating'],
    ['app:v1', 'floating'],
    ['app:v1.27', 'floating'],
    ['redis:8.2-alpine', 'floating'],
    ['node:16-bookworm', 'floating'],
    ['python:3.12-slim', 'floating'],
    ['nginx:1.27-alpine3.20', 'floating'],
    // version
    ['nginx:1.27.3', 'version'],
    ['localhost:5000/app:1.2.3', 'version'],
    ['registry.k8s.io/kube-proxy:v1.21.1', 'version'],
    ['bitnami/postgresql:12-debian-12-r51', 'version'],
    ['bitnami/redis:1.29.1-debian-12-r0', 'version'],
    ['bitnami/redis:1.4.2-debian-12-r9', 'version'],
    ['jenkins/jenkins:3355.v388858a_47b_33-7', 'version'],
    ['app:v0.21.0', 'version'],
    ['app:sha-1a2b3c4', 'version'],
    ['app:20240101', 'version'],
    ['app:2024.01.15', 'version'],
    ['nginx:1.27.3-alpine', 'version'],
    ['app:v1.2.3-rc.1', 'version'],
    ['app:foo', 'version'],
    ['app:prod-build-17', 'version'],
    ['[::1]:5000/app:2.10.1', 'version'],
    ['Nginx/app:1.2.3', 'version'], // v0.6: a capitalised first segment is a registry host
    // digest
    [`nginx@sha256:${HEX64}`, 'digest'],
    [`nginx:1.2.3@sha256:${HEX64}`, 'digest'],
    [`nginx:latest@sha256:${HEX64}`, 'digest'],
    [`nginx@${SHA512}`, 'digest'], // kubelets accept sha512
    // invalid
    ['', 'invalid'],
    ['nginx:', 'invalid'],
    ['Nginx:1', 'invalid'], // no "/": "Nginx" is a repository name, which must be lowercase
    ['nginx@sha256:abc', 'invalid'],
    [` nginx:1.2.3`, 'invalid'], // not trimmed
    ['nginx:1.2.3 ', 'invalid'],
    ['nginx:1 2', 'invalid'],
    ['https://nginx', 'invalid'],
    [HEX64, 'invalid'], // an image ID is not an image reference
    [`nginx@sha256:${HEX64.toUpperCase()}`, 'invalid'],
  ];

  it.each(table)('%s -> %s', (raw, cls) => {
    const result = classifyImage(raw);
    expect(result.class).toBe(cls);
    expect(result.reference === null).toBe(cls === 'invalid');
    expect(result.error === null).toBe(cls !== 'invalid');
  });

  it('returns the normalised reference', () => {
    expect(classifyImage('nginx:1.27').reference).toEqual({ domain: 'docker.io', path: 'library/nginx', tag: '1.27', digest: null });
    expect(classifyImage('registry:5000/app').reference).toEqual({ domain: 'registry:5000', path: 'app', tag: null, digest: null });
    expect(classifyImage(`nginx@sha256:${HEX64}`).reference).toEqual({
      domain: 'docker.io', path: 'library/nginx', tag: null, digest: `sha256:${HEX64}`,
    });
  });

  it('reports the parser message for invalid references', () => {
    expect(classifyImage('Nginx:1').error).toBe('invalid reference format: repository name (library/Nginx) must be lowercase');
    expect(classifyImage('nginx:').error).toBe('invalid reference format');
  });

  it('uses a custom mutable list instead of the default one', () => {
    const opts = { mutableTags: ['prod', 'release-*'] };
    expect(classifyImage('app:prod', opts).class).toBe('mutable');
    expect(classifyImage('app:PROD', opts).class).toBe('mutable');
    expect(classifyImage('app:release-2024', opts).class).toBe('mutable');
    expect(classifyImage('app:stable', opts).class).toBe('version');
    expect(classifyImage('app:latest', opts).class).toBe('latest'); // `latest` is its own class
    expect(classifyImage('app:1.2', opts).class).toBe('floating');
    expect(classifyImage('app:stable', { mutableTags: [...DEFAULT_MUTABLE_TAGS, 'prod'] }).class).toBe('mutable');
    expect(classifyImage('app:1.0-SNAPSHOT', { mutableTags: [] }).class).toBe('floating'); // still a partial version
    expect(classifyImage('app:1.0.0-SNAPSHOT', { mutableTags: [] }).class).toBe('version');
  });

  it('honours digestAlgorithms', () => {
    expect(classifyImage(`nginx@${SHA512}`, { digestAlgorithms: ['sha256'] })).toMatchObject({
      class: 'invalid', error: 'unsupported digest algorithm',
    });
  });
});

describe('matchesMutableTag globs', () => {
  it.each([
    ['*-SNAPSHOT', '1.0-SNAPSHOT', true],
    ['*-SNAPSHOT', 'SNAPSHOT', false],
    ['latest-*', 'latest-', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['a*b*b', 'ab', false],
    ['*', 'anything', true],
    ['stable', 'stable-1', false],
  ] as const)('%s ~ %s = %s', (pattern, tag, expected) => {
    expect(matchesMutableTag(tag, [pattern])).toBe(expected);
  });
});
