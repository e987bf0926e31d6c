// The registry client's HTTP behaviour against small local servers that misbehave on purpose: redirects to other
// hosts (credentials must not follow), HEAD not allowed, no digest header, 503s, silence, self-signed TLS, plain
// http on a non-loopback address, and many images at once. No docker-registry needed.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RegistryError } from '../../src/errors.js';
import { parseNormalizedNamed } from '../../src/image/reference.js';
import { parseChallenges, pickChallenge } from '../../src/registry/challenge.js';
import { RegistryClient } from '../../src/registry/client.js';
import { credentialKey, HostPolicy, isLoopback } from '../../src/registry/hosts.js';
import { resolveAll } from '../../src/pin/resolve.js';
import { sha256 } from '../helpers/oci.js';
import { basicAuth } from '../helpers/registry.js';
import { selfSignedCertificate } from '../helpers/token-server.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const MANIFEST = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}';
const work = mkdtempSync(join(tmpdir(), 'imageguard-registry-http-'));
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(work, { recursive: true, force: true });
});

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, hostAddress = '127.0.0.1'): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, hostAddress, resolve));
  return { port: (server.address() as AddressInfo).port, seen };
}

function digestAnswer(res: ServerResponse): void {
  res.writeHead(200, { 'Docker-Content-Digest': DIGEST, 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' });
  res.end(MANIFEST);
}

function client(env: Record<string, string> = {}, extra: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}): RegistryClient {
  return new RegistryClient({ env: { HOME: work, ...env }, retries: 0, retryDelayMs: 10, ...extra });
}

async function resolveWith(c: RegistryClient, image: string): Promise<string> {
  try {
    return await c.resolve(parseNormalizedNamed(image));
  } finally {
    c.close();
  }
}

describe('WWW-Authenticate parsing', () => {
  it.each([
    ['Basic realm="Registry Realm"', 'basic', { realm: 'Registry Realm' }],
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      'bearer',
      { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' },
    ],
    ['Bearer realm="https://a/t", error="insufficient_scope", scope="repository:x:pull,push"', 'bearer', { realm: 'https://a/t', error: 'insufficient_scope', scope: 'repository:x:pull,push' }],
    ['Basic realm="a\\"b", Bearer realm="https://t"', 'bearer', { realm: 'https://t' }],
  ])('%s', (header, scheme, params) => {
    const picked = pickChallenge(parseChallenges(header));
    expect(picked?.scheme).toBe(scheme);
    expect(picked?.params).toEqual(params);
  });

  it('survives hostile input in linear time', () => {
    const start = Date.now();
    expect(parseChallenges(`Bearer ${'a="'.repeat(50_000)}`).length).toBeGreaterThan(0);
    expect(parseChallenges('=,=,"'.repeat(50_000))).toEqual([]);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});

describe('hosts', () => {
  it.each([
    ['127.0.0.1:5000', true],
    ['127.8.9.10', true],
    ['localhost:5000', true],
    ['[::1]:5000', true],
    ['10.0.0.1:5000', false],
    ['registry.example.com', false],
    ['localhost.example.com', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
    expect(new HostPolicy().allowsPlainHttp(host)).toBe(loopback);
  });

  it('allows plain http and skips TLS verification only for hosts named with --insecure-registry', () => {
    const policy = new HostPolicy(['registry.internal:5000']);
    expect(policy.allowsPlainHttp('registry.internal:5000')).toBe(true);
    expect(policy.verifiesTls('registry.internal:5000')).toBe(false);
    expect(policy.allowsPlainHttp('registry.internal')).toBe(false);
    expect(policy.verifiesTls('127.0.0.1:5000')).toBe(true);
  });

  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['http://127.0.0.1:5000/v2/', '127.0.0.1:5000'],
    ['GHCR.io', 'ghcr.io'],
  ])('credential key of %s is %s', (key, expected) => {
    expect(credentialKey(key)).toBe(expected);
  });
});

describe('credentials never follow a redirect to another host (acceptance 4)', () => {
  // "Another host" is another origin: scheme, host name and port. Registries and Docker's config.json key
  // credentials by host[:port], so 127.0.0.1:A, 127.0.0.1:B and localhost:A are three different hosts.
  async function frontWithRedirect(target: (port: number) => string) {
    const front = await serve((req, res) => {
      if (req.url?.startsWith('/moved/')) {
        digestAnswer(res); // served to anyone: the test looks at what was sent
      } else if (req.headers.authorization !== `Basic ${basicAuth('alice', 's3cret-pass')}`) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' });
        res.end();
      } else if (req.url?.startsWith('/v2/demo/app/manifests/')) {
        res.writeHead(307, { Location: target(front.port) });
        res.end();
      } else {
        res.writeHead(200);
        res.end('{}');
      }
    });
    const dir = mkdtempSync(join(work, 'config-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [`127.0.0.1:${front.port}`]: { auth: basicAuth('alice', 's3cret-pass') } } }));
    return { front, env: { DOCKER_CONFIG: dir } };
  }

  it('drops them on a redirect to another port of the same address', async () => {
    const other = await serve((_req, res) => digestAnswer(res));
    const { front, env } = await frontWithRedirect(() => `http://127.0.0.1:${other.port}/blobs/manifest`);
    expect(await resolveWith(client(env), `127.0.0.1:${front.port}/demo/app:1.0`)).toBe(DIGEST);
    expect(front.seen.some((s) => s.url.includes('/manifests/') && s.authorization?.startsWith('Basic '))).toBe(true);
    expect(other.seen.length).toBeGreaterThan(0);
    expect(other.seen.map((s) => s.authorization)).toEqual(other.seen.map(() => undefined));
  });

  it('drops them on a redirect to the same port under another name (localhost instead of 127.0.0.1)', async () => {
    const { front, env } = await frontWithRedirect((port) => `http://localhost:${port}/moved/manifest`);
    // The front server answers the moved path without auth: prove nothing was sent there.
    expect(await resolveWith(client(env), `127.0.0.1:${front.port}/demo/app:1.0`)).toBe(DIGEST);
    const moved = front.seen.filter((s) => s.url.startsWith('/moved/'));
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((s) => s.authorization === undefined)).toBe(true);
  });

  it('keeps them on a redirect within the same host', async () => {
    const { front, env } = await frontWithRedirect((port) => `http://127.0.0.1:${port}/moved/manifest`);
    expect(await resolveWith(client(env), `127.0.0.1:${front.port}/demo/app:1.0`)).toBe(DIGEST);
    const moved = front.seen.filter((s) => s.url.startsWith('/moved/'));
    expect(moved.every((s) => s.authorization?.startsWith('Basic '))).toBe(true);
  });
});

describe('digests and fallbacks', () => {
  it('falls back to GET when HEAD is not allowed, and hashes the body when no digest header comes', async () => {
    const server = await serve((req, res) => {
      if (req.method === 'HEAD' && req.url !== '/v2/') {
        res.writeHead(405);
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' });
      res.end(req.url === '/v2/' ? '{}' : MANIFEST);
    });
    expect(await resolveWith(client(), `127.0.0.1:${server.port}/demo/app:1.0`)).toBe(sha256(MANIFEST));
    const manifestRequests = server.seen.filter((s) => s.url.includes('/manifests/')).map((s) => s.method);
    expect(manifestRequests).toEqual(['HEAD', 'GET']);
  });

  it('sends all four manifest types', async () => {
    let accept = '';
    const server = await serve((req, res) => {
      accept = String(req.headers.accept ?? accept);
      digestAnswer(res);
    });
    await resolveWith(client(), `127.0.0.1:${server.port}/demo/app:1.0`);
    for (const type of ['docker.distribution.manifest.v2', 'docker.distribution.manifest.list.v2', 'oci.image.manifest.v1', 'oci.image.index.v1']) {
      expect(accept).toContain(`application/vnd.${type}+json`);
    }
  });
});

describe('retries, timeouts, concurrency', () => {
  it('retries 503 a bounded number of times', async () => {
    let manifestCalls = 0;
    const flaky = await serve((req, res) => {
      if (req.url === '/v2/') return digestAnswer(res);
      manifestCalls += 1;
      if (manifestCalls <= 2) {
        res.writeHead(503);
        res.end();
      } else digestAnswer(res);
    });
    expect(await resolveWith(client({}, { retries: 2 }), `127.0.0.1:${flaky.port}/demo/app:1.0`)).toBe(DIGEST);
    expect(manifestCalls).toBe(3);

    manifestCalls = -100; // always 503 now
    const error = await resolveWith(client({}, { retries: 2 }), `127.0.0.1:${flaky.port}/demo/app:2.0`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).message).toContain('503');
  });

  it('gives up on a registry that never answers, within the timeout', async () => {
    const silent = await serve(() => undefined);
    const started = Date.now();
    const error = await resolveWith(client({}, { timeoutMs: 300 }), `127.0.0.1:${silent.port}/demo/app:1.0`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).message).toMatch(/no answer within 0\.3s/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('keeps at most `jobs` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = await serve((req, res) => {
      if (req.url === '/v2/') return digestAnswer(res);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        digestAnswer(res);
      }, 20);
    });
    const targets = new Map(Array.from({ length: 20 }, (_, i) => [`t${i}`, parseNormalizedNamed(`127.0.0.1:${slow.port}/demo/app:${i}`)] as const));
    const c = client();
    try {
      const digests = await resolveAll(c, targets, 3);
      expect([...digests.values()]).toEqual(Array.from({ length: 20 }, () => DIGEST));
    } finally {
      c.close();
    }
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
  });
});

describe('TLS and plain http', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const tls = { key: privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: selfSignedCertificate(privateKey, publicKey, '127.0.0.1') };

  it('verifies TLS: a self-signed registry fails unless named with --insecure-registry', async () => {
    const server = createHttpsServer(tls, (_req, res) => digestAnswer(res));
    servers.push(server as unknown as Server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const error = await resolveWith(client(), `${host}/demo/app:1.0`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).message).toMatch(/TLS certificate not trusted: .*self.signed/i);
    expect((error as RegistryError).detail).toContain('--insecure-registry');
    expect(await resolveWith(client({}, { insecureRegistries: [host] }), `${host}/demo/app:1.0`)).toBe(DIGEST);
  });

  // Plain http needs a non-loopback address to show the refusal; containers usually have one.
  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
  it.skipIf(!external)('uses plain http on a non-loopback host only when named with --insecure-registry', async () => {
    const server = await serve((_req, res) => digestAnswer(res), external);
    const host = `${external}:${server.port}`;
    const error = await resolveWith(client(), `${host}/demo/app:1.0`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(server.seen).toEqual([]); // the https attempt never became an HTTP request, and no http one followed
    expect(await resolveWith(client({}, { insecureRegistries: [host] }), `${host}/demo/app:1.0`)).toBe(DIGEST);
  });
});
