/**
 * The discovery answers `helm upgrade --install --dry-run` needs before it renders (HELM-FACTS.md: upgrade needs a
 * reachable cluster in both versions, even with --dry-run): /version, /api, /apis and the resource lists of the
 * groups our fixture charts use. It stores no objects and answers nothing else (404). With HELM_DRIVER=memory helm
 * keeps releases in memory, so this is enough for real helm 3 and 4 to run a dry-run upgrade through the
 * post-renderer without a cluster. A stand-in for the API server's discovery only, not a fake helm.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const resource = (name: string, kind: string, namespaced = true) => ({ name, singularName: '', namespaced, kind, verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'] });

const DISCOVERY: Record<string, object> = {
  '/version': { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' },
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: ['apps', 'batch'].map((name) => ({
      name,
      versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
      preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
    })),
  },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [resource('pods', 'Pod'), resource('services', 'Service'), resource('configmaps', 'ConfigMap'), resource('secrets', 'Secret'), resource('namespaces', 'Namespace', false)],
  },
  '/apis/apps/v1': { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [resource('deployments', 'Deployment'), resource('statefulsets', 'StatefulSet'), resource('daemonsets', 'DaemonSet')] },
  '/apis/batch/v1': { kind: 'APIResourceList', groupVersion: 'batch/v1', resources: [resource('jobs', 'Job'), resource('cronjobs', 'CronJob')] },
};

export interface KubeDiscovery {
  /** Environment for helm: KUBECONFIG pointing here, the memory release driver with an empty release list. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startKubeDiscovery(): Promise<KubeDiscovery> {
  const server = createServer((req, res) => {
    const body = DISCOVERY[(req.url ?? '/').split('?')[0]!];
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dir = mkdtempSync(join(tmpdir(), 'imageguard-kube-'));
  writeFileSync(
    join(dir, 'kubeconfig'),
    `apiVersion: v1\nkind: Config\nclusters: [{name: discovery, cluster: {server: "http://127.0.0.1:${port}"}}]\n` +
      'contexts: [{name: discovery, context: {cluster: discovery, user: nobody}}]\nusers: [{name: nobody, user: {}}]\n' +
      'current-context: discovery\n',
  );
  writeFileSync(join(dir, 'releases.yaml'), '[]\n');
  return {
    env: { KUBECONFIG: join(dir, 'kubeconfig'), HELM_DRIVER: 'memory', HELM_MEMORY_DRIVER_DATA: join(dir, 'releases.yaml') },
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
