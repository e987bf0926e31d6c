// Acceptance 4: registry credentials never appear in any output, also with --debug / HELM_DEBUG, and are never sent
// to another host on a redirect. "Another host" = another origin (scheme, host name, port): registries and Docker's
// config.json key credentials by host[:port], so 127.0.0.1:A and 127.0.0.1:B are different hosts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { assertHelmBinaries, HELM_VERSIONS, isolatedHelmEnv, removeHelmEnv, repoRoot } from '../helpers/helm.js';
import { startKubeDiscovery, type KubeDiscovery } from '../helpers/kube-discovery.js';
import { buildImage, buildMultiArchImage } from '../helpers/oci.js';
import { basicAuth, describeRegistry, dockerConfig, pushImage, startRegistry, type TestRegistry } from '../helpers/registry.js';

const chart = join(repoRoot, 'test', 'fixtures', 'charts', 'registry-app');
const USER = 'deployer';
const PASSWORD = 'Zq7%sEcReT+pw/42=';
const work = mkdtempSync(join(tmpdir(), 'imageguard-credentials-e2e-'));
const appDigest = buildImage(join(work, 'app'), 'v', 'app');
buildMultiArchImage(join(work, 'multi'), 'v', 'multi');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every form the password travels in. */
const SECRET_FORMS = [PASSWORD, basicAuth(USER, PASSWORD), encodeURIComponent(PASSWORD), new URLSearchParams({ p: PASSWORD }).toString().slice(2)];

function expectNoSecrets(result: CliResult, extra: readonly string[] = []): void {
  const output = `${result.stdout}\n${result.stderr}`;
  for (const secret of [...SECRET_FORMS, ...extra]) expect(output.includes(secret), `output contains a secret (${secret.slice(0, 6)}...)`).toBe(false);
}

async function seed(registry: TestRegistry): Promise<void> {
  await pushImage(registry, join(work, 'app'), 'v', 'demo/app:1.0.0');
  await pushImage(registry, join(work, 'multi'), 'v', 'demo/multi:1.0.0', { all: true });
}

const registries = [
  { name: 'htpasswd', auth: { kind: 'htpasswd', users: { [USER]: PASSWORD } } },
  { name: 'token (GET)', auth: { kind: 'token', users: { [USER]: PASSWORD }, mode: 'get' } },
  { name: 'token (POST password grant)', auth: { kind: 'token', users: { [USER]: PASSWORD }, mode: 'post' } },
] as const;

for (const { name, auth } of registries) {
  describeRegistry(`no credentials in any output: ${name} registry`, () => {
    let registry: TestRegistry;
    let config: ReturnType<typeof dockerConfig>;
    let wrong: ReturnType<typeof dockerConfig>;
    let kube: KubeDiscovery;
    let helmEnv: Record<string, string> = {};
    beforeAll(async () => {
      assertHelmBinaries();
      registry = await startRegistry(auth.kind === 'token' ? { ...auth, mode: 'get' } : auth);
      await seed(registry);
      if (registry.token) registry.token.mode = auth.kind === 'token' ? auth.mode : 'get';
      config = dockerConfig({ auths: { [registry.host]: { auth: basicAuth(USER, PASSWORD) } } });
      wrong = dockerConfig({ auths: { [registry.host]: { username: USER, password: `${PASSWORD}-wrong` } } });
      kube = await startKubeDiscovery();
      helmEnv = await isolatedHelmEnv();
    });
    afterAll(async () => {
      config?.remove();
      wrong?.remove();
      await kube?.stop();
      await removeHelmEnv(helmEnv);
      await registry?.stop();
    });
    const tokens = () => registry.token?.issued ?? [];

    for (const helm of HELM_VERSIONS) {
      it(`helm ${helm.version}: pin --debug and HELM_DEBUG=true print requests, never credentials or tokens`, async () => {
        const lock = join(work, `${name}-${helm.major}.lock.yaml`.replace(/[^\w.-]/g, '_'));
        const args = ['pin', chart, '--set', `registry=${registry.host}`, '--lock', lock];
        const debug = await runCli([...args, '--debug'], { helmBin: helm.bin, env: config.env });
        expect(debug.exitCode, debug.stderr).toBe(0);
        expect(debug.stderr).toContain(`imageguard: debug: registry: HEAD http://${registry.host}/v2/demo/app/manifests/1.0.0 [authorized] -> 200`);
        expectNoSecrets(debug, tokens());
        expect(readFileSync(lock, 'utf8')).not.toContain(PASSWORD);
        const env = await runCli(args, { helmBin: helm.bin, env: { ...config.env, HELM_DEBUG: 'true' } });
        expect(env.exitCode, env.stderr).toBe(0);
        expect(env.stderr).toContain('imageguard: debug: registry:');
        expectNoSecrets(env, tokens());
      });

      it(`helm ${helm.version}: rejected credentials are named by their file, not shown`, async () => {
        const r = await runCli(['pin', chart, '--set', `registry=${registry.host}`, '--lock', join(work, 'never.yaml'), '--debug'], {
          helmBin: helm.bin,
          env: wrong.env,
        });
        expect(r.exitCode).toBe(4);
        expect(r.stderr).toContain(join(wrong.dir, 'config.json'));
        expectNoSecrets(r, [...tokens(), `${PASSWORD}-wrong`, basicAuth(USER, `${PASSWORD}-wrong`)]);
      });

      it(`helm ${helm.version}: ${helm.major === 4 ? 'install --dry-run=client' : 'upgrade --install --dry-run'} --imageguard-pin --debug shows no credentials`, async () => {
        const args =
          helm.major === 4
            ? ['install', 'web', chart, '--dry-run=client', '--set', `registry=${registry.host}`, '--imageguard-pin', '--debug']
            : ['upgrade', 'web', chart, '--install', '--dry-run', '--set', `registry=${registry.host}`, '--imageguard-pin', '--debug'];
        const r = await runCli(args, { helmBin: helm.bin, env: { ...helmEnv, ...config.env, ...(helm.major === 3 ? kube.env : {}) } });
        expect(r.exitCode, r.stderr).toBe(0);
        expect(r.stdout).toContain(`${registry.host}/demo/app:1.0.0@${appDigest}`);
        expectNoSecrets(r, tokens());
      });
    }
  });
}

describeRegistry('credentials are not sent on a redirect to another host', () => {
  let registry: TestRegistry;
  let front: Server;
  let recorder: Server;
  let frontHost = '';
  const seenByOtherHost: (string | undefined)[] = [];
  const seenByFront: (string | undefined)[] = [];
  let config: ReturnType<typeof dockerConfig>;

  beforeAll(async () => {
    assertHelmBinaries();
    registry = await startRegistry();
    await seed(registry);
    // 127.0.0.1:B: records what it receives and passes it on to the real (no-auth) registry.
    recorder = createServer((req, res) => {
      seenByOtherHost.push(req.headers.authorization);
      const upstream = request(`${registry.url}${req.url ?? '/'}`, { method: req.method, headers: { accept: req.headers.accept ?? '*/*' } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.end();
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    const recorderPort = (recorder.address() as AddressInfo).port;
    // 127.0.0.1:A: demands Basic auth, then redirects every manifest request to 127.0.0.1:B.
    front = createServer((req, res) => {
      seenByFront.push(req.headers.authorization);
      if (req.headers.authorization !== `Basic ${basicAuth(USER, PASSWORD)}`) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="front"' });
        res.end();
        return;
      }
      const path = req.url ?? '/';
      res.writeHead(path === '/v2/' ? 200 : 307, path === '/v2/' ? {} : { Location: `http://127.0.0.1:${recorderPort}${path}` });
      res.end();
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    frontHost = `127.0.0.1:${(front.address() as AddressInfo).port}`;
    config = dockerConfig({ auths: { [frontHost]: { auth: basicAuth(USER, PASSWORD) } } });
  });
  afterAll(async () => {
    config?.remove();
    await new Promise((resolve) => front?.close(resolve));
    await new Promise((resolve) => recorder?.close(resolve));
    await registry?.stop();
  });

  for (const helm of HELM_VERSIONS) {
    it(`helm ${helm.version}: pin follows the redirect to 127.0.0.1:B without the credentials for 127.0.0.1:A`, async () => {
      seenByOtherHost.length = 0;
      seenByFront.length = 0;
      const lock = join(work, `redirect-${helm.major}.lock.yaml`);
      const r = await runCli(
        ['pin', chart, '--set', `registry=${frontHost}`, '--lock', lock, '--debug'],
        { helmBin: helm.bin, env: config.env },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(readFileSync(lock, 'utf8')).toContain(appDigest);
      expect(seenByFront.some((auth) => auth === `Basic ${basicAuth(USER, PASSWORD)}`)).toBe(true);
      expect(seenByOtherHost.length).toBeGreaterThan(0);
      expect(seenByOtherHost.every((auth) => auth === undefined)).toBe(true);
      expect(r.stderr).toContain('(credentials not sent: another host)');
      expectNoSecrets(r);
    });
  }
});

describe('what "another host" means', () => {
  it('is documented for users', () => {
    expect(readFileSync(join(repoRoot, 'docs', 'pin.md'), 'utf8')).toMatch(/another host/i);
  });
});
