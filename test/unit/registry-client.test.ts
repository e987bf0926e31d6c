// The registry client against a real docker-registry on 127.0.0.1: no auth, htpasswd (Basic) and token auth
// (GET and POST token flows), credentials from Docker's config.json, Helm's registry config and credential helpers.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryError } from '../../src/errors.js';
import { parseNormalizedNamed } from '../../src/image/reference.js';
import { RegistryClient } from '../../src/registry/client.js';
import { CredentialStore } from '../../src/registry/credentials.js';
import { buildImage, buildMultiArchImage } from '../helpers/oci.js';
import { basicAuth, describeRegistry, inspectDigest, pushImage, startRegistry, type TestRegistry } from '../helpers/registry.js';

const USERS = { alice: 'pa55-w0rd:with:colons' };
const work = mkdtempSync(join(tmpdir(), 'imageguard-registry-client-'));
const imageA = join(work, 'image-a');
const digestA = buildImage(imageA, 'v1', 'image A');
const multi = join(work, 'multi');
const multiDigests = buildMultiArchImage(multi, 'v1', 'multi-arch image');

afterAll(() => rmSync(work, { recursive: true, force: true }));

function writeConfig(name: string, content: object): string {
  const dir = mkdtempSync(join(work, `${name}-`));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(content));
  return dir;
}

/** Resolves with a fresh client (its own token cache), in an environment holding only `env`. */
async function resolve(image: string, env: Record<string, string> = {}, extra: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}) {
  const client = new RegistryClient({ env: { HOME: work, PATH: process.env.PATH, ...env }, retries: 0, ...extra });
  try {
    return await client.resolve(parseNormalizedNamed(image));
  } finally {
    client.close();
  }
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

describeRegistry('registry client: no auth', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
    await pushImage(registry, imageA, 'v1', 'demo/app:1.0.0');
    await pushImage(registry, multi, 'v1', 'demo/multi:1.0.0', { all: true });
    await pushImage(registry, imageA, 'v1', 'demo/docker:1.0.0', { format: 'v2s2' });
  });
  afterAll(() => registry?.stop());

  it('resolves an OCI image tag to the manifest digest', async () => {
    expect(await resolve(`${registry.host}/demo/app:1.0.0`)).toBe(digestA);
  });

  it('resolves a multi-arch tag to the index digest, not one platform', async () => {
    const digest = await resolve(`${registry.host}/demo/multi:1.0.0`);
    expect(digest).toBe(multiDigests.index);
    expect(multiDigests.platforms).not.toContain(digest);
  });

  it('resolves a Docker v2 schema 2 image to its own digest (the Accept header names the Docker types)', async () => {
    expect(await resolve(`${registry.host}/demo/docker:1.0.0`)).toBe(await inspectDigest(registry, 'demo/docker:1.0.0'));
  });

  it('names the image and the registry answer for an unknown tag (exit 4)', async () => {
    const error = await failure(resolve(`${registry.host}/demo/app:9.9.9`));
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain(`${registry.host}/demo/app:9.9.9`);
    expect(error.message).toMatch(/404 Not Found \(MANIFEST_UNKNOWN: manifest unknown/);
  });

  it('reads no credentials when the registry asks for none', async () => {
    // A config file that would fail to parse proves it is never opened.
    const dir = mkdtempSync(join(work, 'broken-'));
    writeFileSync(join(dir, 'config.json'), '{ not json');
    expect(await resolve(`${registry.host}/demo/app:1.0.0`, { DOCKER_CONFIG: dir })).toBe(digestA);
  });
});

describeRegistry('registry client: htpasswd (Basic)', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ kind: 'htpasswd', users: USERS });
    await pushImage(registry, imageA, 'v1', 'demo/app:1.0.0');
  });
  afterAll(() => registry?.stop());

  it('fails without credentials, saying where it looked', async () => {
    const error = await failure(resolve(`${registry.host}/demo/app:1.0.0`, { DOCKER_CONFIG: writeConfig('empty', {}) }));
    expect(error.message).toContain('401 Unauthorized');
    expect(error.detail).toContain(`no credentials for ${registry.host}`);
  });

  it('uses auths.<host>.auth from DOCKER_CONFIG', async () => {
    const dir = writeConfig('auths', { auths: { [registry.host]: { auth: basicAuth('alice', USERS.alice) } } });
    expect(await resolve(`${registry.host}/demo/app:1.0.0`, { DOCKER_CONFIG: dir })).toBe(digestA);
  });

  it('uses username/password entries keyed with a scheme (http://host) too', async () => {
    const dir = writeConfig('userpass', { auths: { [`http://${registry.host}/v2/`]: { username: 'alice', password: USERS.alice } } });
    expect(await resolve(`${registry.host}/demo/app:1.0.0`, { DOCKER_CONFIG: dir })).toBe(digestA);
  });

  it('says the credentials were rejected, never what they were', async () => {
    const dir = writeConfig('wrong', { auths: { [registry.host]: { auth: basicAuth('alice', 'wrong-password') } } });
    const error = await failure(resolve(`${registry.host}/demo/app:1.0.0`, { DOCKER_CONFIG: dir }));
    expect(error.detail).toContain('were not accepted');
    expect(`${error.message}\n${error.detail}`).not.toContain('wrong-password');
    expect(`${error.message}\n${error.detail}`).not.toContain(basicAuth('alice', 'wrong-password'));
  });

  it("falls back to Helm's registry config (HELM_REGISTRY_CONFIG)", async () => {
    const helm = join(writeConfig('helm', { auths: { [registry.host]: { auth: basicAuth('alice', USERS.alice) } } }), 'config.json');
    const env = { DOCKER_CONFIG: writeConfig('docker-empty', {}), HELM_REGISTRY_CONFIG: helm };
    expect(await resolve(`${registry.host}/demo/app:1.0.0`, env)).toBe(digestA);
  });

  describe('credential helpers', () => {
    const bin = mkdtempSync(join(work, 'bin-'));
    const log = join(bin, 'asked.log');
    // A real docker-credential-* program: reads the server URL on stdin, prints {"Username","Secret"}.
    writeFileSync(
      join(bin, 'docker-credential-igtest'),
      `#!/bin/sh\n[ "$1" = get ] || exit 1\nread server\necho "$server" >> ${log}\n` +
        `printf '{"ServerURL":"%s","Username":"alice","Secret":"%s"}' "$server" '${USERS.alice}'\n`,
    );
    writeFileSync(join(bin, 'docker-credential-empty'), '#!/bin/sh\necho "credentials not found in native keychain"\nexit 1\n');
    chmodSync(join(bin, 'docker-credential-igtest'), 0o755);
    chmodSync(join(bin, 'docker-credential-empty'), 0o755);
    const env = (config: object) => ({ DOCKER_CONFIG: writeConfig('helpers', config), PATH: `${bin}${delimiter}${process.env.PATH}` });

    it('asks credHelpers.<host> with the host on stdin', async () => {
      expect(await resolve(`${registry.host}/demo/app:1.0.0`, env({ credHelpers: { [registry.host]: 'igtest' } }))).toBe(digestA);
    });

    it('asks credsStore when no auths entry holds credentials', async () => {
      expect(await resolve(`${registry.host}/demo/app:1.0.0`, env({ credsStore: 'igtest', auths: { [registry.host]: {} } }))).toBe(digestA);
    });

    it('treats "credentials not found" as anonymous, and a missing helper as an error naming it', async () => {
      const none = await failure(resolve(`${registry.host}/demo/app:1.0.0`, env({ credsStore: 'empty' })));
      expect(none.message).toContain('401');
      const missing = await failure(resolve(`${registry.host}/demo/app:1.0.0`, env({ credsStore: 'not-installed' })));
      expect(missing.message).toContain('docker-credential-not-installed not found');
    });

    it('runs a helper at most once per host in a run', async () => {
      let calls = 0;
      const store = new CredentialStore({ DOCKER_CONFIG: writeConfig('once', { credsStore: 'x' }) }, async () => {
        calls += 1;
        return { username: 'alice', secret: USERS.alice };
      });
      const client = new RegistryClient({ env: {}, credentials: store, retries: 0 });
      try {
        await Promise.all([1, 2, 3].map(() => client.resolve(parseNormalizedNamed(`${registry.host}/demo/app:1.0.0`))));
      } finally {
        client.close();
      }
      expect(calls).toBe(1);
    });
  });
});

for (const mode of ['get', 'post'] as const) {
  describeRegistry(`registry client: token auth (${mode === 'get' ? 'GET with Basic' : 'POST password grant'})`, () => {
    let registry: TestRegistry;
    beforeAll(async () => {
      registry = await startRegistry({ kind: 'token', users: USERS, mode: 'get' });
      await pushImage(registry, imageA, 'v1', 'demo/app:1.0.0');
      await pushImage(registry, imageA, 'v1', 'demo/app:1.0.1');
      // skopeo pushes with GET tokens; switch the token server to the mode under test afterwards.
      registry.token!.mode = mode;
    });
    afterAll(() => registry?.stop());

    it('gets a token and resolves; one token per repository scope per run', async () => {
      const dir = writeConfig('token', { auths: { [registry.host]: { auth: basicAuth('alice', USERS.alice) } } });
      const client = new RegistryClient({ env: { DOCKER_CONFIG: dir }, retries: 0 });
      const before = registry.token!.requests.length;
      try {
        expect(await client.resolve(parseNormalizedNamed(`${registry.host}/demo/app:1.0.0`))).toBe(digestA);
        expect(await client.resolve(parseNormalizedNamed(`${registry.host}/demo/app:1.0.1`))).toBe(digestA);
      } finally {
        client.close();
      }
      const asked = registry.token!.requests.slice(before).filter((r) => r.user === 'alice' && r.scope === 'repository:demo/app:pull');
      expect(asked.length).toBeGreaterThan(0);
      const granted = asked.filter((r) => (mode === 'get' ? r.method === 'GET' : r.method === 'POST'));
      expect(granted).toHaveLength(1);
    });

    it('fails anonymously with the registry answer and a hint', async () => {
      const error = await failure(resolve(`${registry.host}/demo/app:1.0.0`, { DOCKER_CONFIG: writeConfig('anon', {}) }));
      expect(error.message).toContain(`${registry.host}/demo/app:1.0.0`);
      // The GET token service says 401 at the registry; the POST-only one refuses the anonymous GET itself.
      expect(error.message).toMatch(mode === 'get' ? /answered 401/ : /token service .* answered 405 .* anonymously/);
      expect(error.detail).toContain(`no credentials for ${registry.host}`);
    });
  });
}
