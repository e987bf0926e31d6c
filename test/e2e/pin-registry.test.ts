// `imageguard pin` against real docker-registry instances (no auth, htpasswd, token) with real helm 3 and 4:
// the lock records each tag's digest, moving `latest` changes it, --check fails on the move, errors exit 4.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLock } from '../../src/pin/lock.js';
import { runCli } from '../helpers/cli.js';
import { assertHelmBinaries, HELM_VERSIONS, repoRoot } from '../helpers/helm.js';
import { buildImage, buildMultiArchImage } from '../helpers/oci.js';
import { basicAuth, describeRegistry, dockerConfig, pushImage, startRegistry, type TestRegistry } from '../helpers/registry.js';

const chart = join(repoRoot, 'test', 'fixtures', 'charts', 'registry-app');
const work = mkdtempSync(join(tmpdir(), 'imageguard-pin-e2e-'));
const image1 = join(work, 'image-1');
const image2 = join(work, 'image-2');
const multi = join(work, 'multi');
const digest1 = buildImage(image1, 'v', 'image one');
const digest2 = buildImage(image2, 'v', 'image two');
const multiDigest = buildMultiArchImage(multi, 'v', 'multi').index;
const USERS = { deployer: 'not-in-any-output-7f3a' };

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Pushes the images the chart's default values name, plus `latest` of `repository`. */
async function seed(registry: TestRegistry, repositories: string[]): Promise<void> {
  await pushImage(registry, image1, 'v', 'demo/app:1.0.0');
  await pushImage(registry, multi, 'v', 'demo/multi:1.0.0', { all: true });
  for (const repository of repositories) await pushImage(registry, image1, 'v', `${repository}:latest`);
}

function lockEntries(file: string): Record<string, string> {
  return Object.fromEntries(parseLock(readFileSync(file, 'utf8'), file).entries.map((e) => [e.image, e.digest]));
}

describeRegistry('imageguard pin: no auth', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    assertHelmBinaries();
    registry = await startRegistry();
    await seed(registry, HELM_VERSIONS.map((h) => `demo/moving-${h.major}`));
  });
  afterAll(() => registry?.stop());

  for (const helm of HELM_VERSIONS) {
    describe(`helm ${helm.version}`, () => {
      const dir = mkdtempSync(join(work, `h${helm.major}-`));
      const lock = join(dir, 'imageguard.lock.yaml');
      const pin = (...extra: string[]) =>
        runCli(['pin', chart, '--set', `registry=${registry.host}`, '--set', `image.repository=demo/moving-${helm.major}`, '--set', 'image.tag=latest', '--lock', lock, ...extra], {
          helmBin: helm.bin,
        });

      it('records the digest of every pod-spec image (index digest for multi-arch); moving latest changes it and --check fails', async () => {
        const first = await pin();
        expect(first.exitCode, first.stderr).toBe(0);
        expect(lockEntries(lock)).toEqual({
          [`${registry.host}/demo/app:1.0.0`]: digest1,
          [`${registry.host}/demo/moving-${helm.major}:latest`]: digest1,
          [`${registry.host}/demo/multi:1.0.0`]: multiDigest,
        });
        expect(first.stdout).toContain(`${registry.host}/demo/moving-${helm.major}:latest  ${digest1}  new`);
        const clean = await pin('--check');
        expect(clean.exitCode, clean.stderr).toBe(0);

        await pushImage(registry, image2, 'v', `demo/moving-${helm.major}:latest`); // latest moves from image 1 to image 2
        const before = readFileSync(lock, 'utf8');
        const check = await pin('--check');
        expect(check.exitCode, check.stderr).toBe(1);
        expect(check.stdout).toContain(`moved    ${registry.host}/demo/moving-${helm.major}:latest`);
        expect(check.stdout).toContain(`lock:     ${digest1}`);
        expect(check.stdout).toContain(`registry: ${digest2}`);
        expect(readFileSync(lock, 'utf8')).toBe(before); // --check writes nothing

        const update = await pin();
        expect(update.exitCode, update.stderr).toBe(0);
        expect(update.stdout).toContain(`moving-${helm.major}:latest  ${digest2}  moved (was ${digest1})`);
        expect(lockEntries(lock)[`${registry.host}/demo/moving-${helm.major}:latest`]).toBe(digest2);
        expect((await pin('--check')).exitCode).toBe(0);
      });

      it('writes a stable file: sorted, unchanged when nothing moved, no temp files left', async () => {
        const before = readFileSync(lock, 'utf8');
        expect((await pin()).exitCode).toBe(0);
        expect(readFileSync(lock, 'utf8')).toBe(before);
        const images = [...before.matchAll(/image: "([^"]+)"/g)].map((m) => m[1]!);
        expect(images).toEqual([...images].sort());
        expect(readdirSync(dir)).toEqual(['imageguard.lock.yaml']);
      });

      it('exits 4 naming the image and the registry answer for a tag that does not exist', async () => {
        const r = await runCli(['pin', chart, '--set', `registry=${registry.host}`, '--set', 'sidecar.tag=no-such-tag', '--lock', join(dir, 'x.yaml')], {
          helmBin: helm.bin,
        });
        expect(r.exitCode).toBe(4);
        expect(r.stderr).toContain(`${registry.host}/demo/multi:no-such-tag`);
        expect(r.stderr).toMatch(/404 Not Found \(MANIFEST_UNKNOWN: manifest unknown/);
        expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
        expect(r.stderr).not.toMatch(/\s+at .*:\d+:\d+/);
        expect(existsSync(join(dir, 'x.yaml'))).toBe(false);
      });

      it('exits 4 when the registry cannot be reached, and 2 for --check without a lock or an invalid image', async () => {
        const down = await runCli(['pin', chart, '--set', 'registry=127.0.0.1:1', '--lock', join(dir, 'y.yaml'), '--registry-timeout', '2s'], { helmBin: helm.bin });
        expect(down.exitCode).toBe(4);
        expect(down.stderr).toContain('127.0.0.1:1/demo/app:1.0.0');
        const noLock = await runCli(['pin', chart, '--check', '--lock', join(dir, 'none.yaml')], { helmBin: helm.bin });
        expect(noLock.exitCode).toBe(2);
        expect(noLock.stderr).toContain('no such file');
        const invalid = await runCli(['pin', chart, '--set', 'image.tag=', '--lock', join(dir, 'z.yaml')], { helmBin: helm.bin });
        expect(invalid.exitCode).toBe(2);
        expect(invalid.stderr).toContain('cannot pin');
      });
    });
  }
});

for (const kind of ['htpasswd', 'token'] as const) {
  describeRegistry(`imageguard pin: ${kind} auth`, () => {
    let registry: TestRegistry;
    let config: ReturnType<typeof dockerConfig>;
    beforeAll(async () => {
      assertHelmBinaries();
      registry = await startRegistry(kind === 'htpasswd' ? { kind, users: USERS } : { kind, users: USERS, mode: 'get' });
      await seed(registry, []);
      config = dockerConfig({ auths: { [registry.host]: { auth: basicAuth('deployer', USERS.deployer) } } });
    });
    afterAll(async () => {
      config?.remove();
      await registry?.stop();
    });

    for (const helm of HELM_VERSIONS) {
      it(`helm ${helm.version}: resolves with credentials from DOCKER_CONFIG, and exits 4 without`, async () => {
        const lock = join(work, `${kind}-${helm.major}.lock.yaml`);
        const ok = await runCli(['pin', chart, '--set', `registry=${registry.host}`, '--lock', lock], { helmBin: helm.bin, env: config.env });
        expect(ok.exitCode, ok.stderr).toBe(0);
        expect(lockEntries(lock)[`${registry.host}/demo/multi:1.0.0`]).toBe(multiDigest);
        const anonymous = dockerConfig({});
        const denied = await runCli(['pin', chart, '--set', `registry=${registry.host}`, '--lock', `${lock}.2`], { helmBin: helm.bin, env: anonymous.env });
        anonymous.remove();
        expect(denied.exitCode).toBe(4);
        expect(denied.stderr).toContain(`${registry.host}/demo/`);
        expect(denied.stderr).toContain(`no credentials for ${registry.host}`);
      });
    }
  });
}
