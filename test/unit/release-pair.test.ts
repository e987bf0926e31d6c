import { describe, expect, it } from 'vitest';
import { apiGroup, pairContainers } from '../../src/release/pair.js';
import type { ImageUse } from '../../src/manifest/types.js';
import { classified } from '../helpers/rule-tester.js';

const deployment = (name: string, overrides: Partial<ImageUse['resource']> = {}) => ({
  resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name, ...overrides },
});

describe('apiGroup', () => {
  it.each([
    ['apps/v1', 'apps'],
    ['apps/v1beta2', 'apps'],
    ['v1', ''],
    ['batch/v1', 'batch'],
    ['argoproj.io/v1alpha1', 'argoproj.io'],
    ['', ''],
  ])('%s -> %j', (apiVersion, group) => {
    expect(apiGroup(apiVersion)).toBe(group);
  });
});

describe('pairContainers', () => {
  it('pairs by apiVersion group, kind, namespace, name, container type and name', () => {
    const from = [
      classified('nginx:1.25.3', { ...deployment('web', { apiVersion: 'apps/v1beta2' }) }),
      classified('busybox', { ...deployment('web'), container: { name: 'app', type: 'initContainer' } }),
      classified('redis:7.2.4', { ...deployment('cache', { namespace: 'prod' }) }),
    ];
    const to = [
      classified('nginx:latest', { ...deployment('web') }),
      classified('busybox:1.36.1', { ...deployment('web'), container: { name: 'app', type: 'initContainer' } }),
      classified('redis:7.2.5', { ...deployment('cache', { namespace: 'staging' }) }),
    ];
    const pairs = pairContainers(from, to).map((pair) => [pair.resource.namespace, pair.resource.name, pair.container.type, pair.from?.image ?? null, pair.to?.image ?? null]);
    expect(pairs).toEqual([
      ['default', 'web', 'container', 'nginx:1.25.3', 'nginx:latest'], // apps/v1beta2 -> apps/v1: same object
      ['default', 'web', 'initContainer', 'busybox', 'busybox:1.36.1'], // init container app is not container app
      ['prod', 'cache', 'container', 'redis:7.2.4', null], // another namespace is another object
      ['staging', 'cache', 'container', null, 'redis:7.2.5'],
    ]);
  });

  it('names the pair after the newer revision (its apiVersion)', () => {
    const [pair] = pairContainers([classified('a:1.0.0', deployment('web', { apiVersion: 'apps/v1beta2' }))], [classified('a:1.0.1', deployment('web'))]);
    expect(pair?.resource.apiVersion).toBe('apps/v1');
  });

  it('does not pair across API groups (extensions/v1beta1 and apps/v1 Deployments are different objects to helm)', () => {
    const pairs = pairContainers([classified('a:1.0.0', deployment('web', { apiVersion: 'extensions/v1beta1' }))], [classified('a:1.0.0', deployment('web'))]);
    expect(pairs.map((pair) => [pair.from !== null, pair.to !== null])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it('pairs repeated identities by occurrence and keeps every container once', () => {
    const from = [classified('a:1', deployment('web')), classified('a:2', deployment('web'))];
    const to = [classified('a:3', deployment('web'))];
    expect(pairContainers(from, to).map((pair) => [pair.from?.image ?? null, pair.to?.image ?? null])).toEqual([
      ['a:1', 'a:3'],
      ['a:2', null],
    ]);
  });
});
