/** Issue 8: the kubectl argv (context, namespace, all namespaces, selector) and its error lines. */
import { describe, expect, it } from 'vitest';
import { getPodsArgs, kubectlMessage } from '../../src/kube/kubectl.js';

const base = { context: null, kubeconfig: null, namespace: null, allNamespaces: false, selector: null };

describe('kubectl get pods argv', () => {
  it.each([
    ['defaults', {}, ['get', 'pods', '--output', 'json']],
    ['namespace', { namespace: 'shop' }, ['get', 'pods', '--output', 'json', '--namespace', 'shop']],
    ['all namespaces wins over a namespace', { namespace: 'shop', allNamespaces: true }, ['get', 'pods', '--output', 'json', '--all-namespaces']],
    [
      'context, kubeconfig and selector',
      { context: 'prod', kubeconfig: '/k/config with space', selector: 'app=web' },
      ['get', 'pods', '--output', 'json', '--kubeconfig', '/k/config with space', '--context', 'prod', '--selector', 'app=web'],
    ],
  ])('%s', (_label, query, expected) => {
    expect(getPodsArgs({ ...base, ...query })).toEqual(expected);
  });
});

describe('kubectlMessage', () => {
  it("drops klog's retry noise and keeps kubectl's own message", () => {
    const stderr =
      'E1122 04:55:24.321867   28053 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list"\n'.repeat(5) +
      'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n';
    expect(kubectlMessage(stderr)).toBe('The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?');
  });

  it('keeps the last klog lines when there is nothing else', () => {
    expect(kubectlMessage('E1122 04:55:24.321867   28053 a.go:1] one\nE1122 04:55:24.321867   28053 a.go:1] two\n')).toContain('two');
  });
});
