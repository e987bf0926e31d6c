/**
 * A real registry for tests: Debian's `docker-registry` (CNCF distribution 2.8) on 127.0.0.1, a random free port and
 * a temp storage folder, with no auth, htpasswd (Basic) or token auth (token-server.ts). Images are pushed with
 * skopeo from OCI layouts built by oci.ts. `.ci/run` installs the tools; when CI=true a missing tool fails the suite
 * (never a skip); locally, registry suites are skipped when the tools are missing.
 */
import { execa } from 'execa';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe } from 'vitest';
import { startTokenServer, type TokenMode, type TokenServer } from './token-server.js';

export const REGISTRY_TOOLS = ['docker-registry', 'skopeo', 'htpasswd'] as const;

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      closeSync(openSync(join(dir, program), 'r'));
      return true;
    } catch {
      return false;
    }
  });
}

export const missingRegistryTools = (): string[] => REGISTRY_TOOLS.filter((tool) => !onPath(tool));

/** `describe` when the tools are there or CI=true (then a missing tool fails in beforeAll), else `describe.skip`. */
export const describeRegistry = missingRegistryTools().length === 0 || process.env.CI === 'true' ? describe : describe.skip;

/** Call first in beforeAll of every registry suite. */
export function assertRegistryTools(): void {
  const missing = missingRegistryTools();
  if (missing.length > 0) {
    throw new Error(
      `registry test tools missing: ${missing.join(', ')}. Install them with ` +
        '"apt-get install -y --no-install-recommends docker-registry skopeo apache2-utils" (.ci/run does).',
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type RegistryAuth = { kind: 'none' } | { kind: 'htpasswd'; users: Record<string, string> } | { kind: 'token'; users: Record<string, string>; mode: TokenMode };

export interface TestRegistry {
  /** `127.0.0.1:<port>`: the host[:port] images and credentials are keyed by. */
  host: string;
  url: string;
  dir: string;
  token: TokenServer | null;
  /** skopeo --dest-creds for pushing to this registry, when it has auth. */
  pushCreds: string | null;
  stop(): Promise<void>;
}

async function waitReady(url: string, log: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/v2/`);
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`docker-registry did not become ready at ${url} (log: ${log})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startRegistry(auth: RegistryAuth = { kind: 'none' }): Promise<TestRegistry> {
  assertRegistryTools();
  const dir = mkdtempSync(join(tmpdir(), 'imageguard-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  let authConfig = '';
  let token: TokenServer | null = null;
  let pushCreds: string | null = null;
  if (auth.kind === 'htpasswd') {
    const lines = await Promise.all(
      Object.entries(auth.users).map(async ([user, pass]) => (await execa('htpasswd', ['-Bbn', user, pass])).stdout.trim()),
    );
    writeFileSync(join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
    authConfig = `auth:\n  htpasswd:\n    realm: imageguard-test\n    path: ${join(dir, 'htpasswd')}\n`;
  } else if (auth.kind === 'token') {
    token = await startTokenServer({ users: auth.users, mode: auth.mode });
    writeFileSync(join(dir, 'token-signer.pem'), token.certificatePem);
    authConfig =
      `auth:\n  token:\n    realm: ${token.realm}\n    service: ${token.service}\n    issuer: ${token.issuer}\n` +
      `    rootcertbundle: ${join(dir, 'token-signer.pem')}\n`;
  }
  if (auth.kind !== 'none') {
    const [user, pass] = Object.entries(auth.users)[0]!;
    pushCreds = `${user}:${pass}`;
  }
  const config =
    'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n' +
    `    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\n` +
    `http:\n  addr: ${host}\n${authConfig}`;
  writeFileSync(join(dir, 'config.yml'), config);
  const logFile = join(dir, 'registry.log');
  const child = execa('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdout: { file: logFile, append: true },
    stderr: { file: logFile, append: true },
    reject: false,
    cleanup: true,
  });
  const url = `http://${host}`;
  try {
    await waitReady(url, logFile);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    host,
    url,
    dir,
    token,
    pushCreds,
    async stop() {
      child.kill('SIGTERM');
      await child;
      await token?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `skopeo copy` an OCI layout tag to `<registry>/<repository>:<tag>`. `all` copies a whole index;
 * `format: 'v2s2'` converts to Docker's manifest format (the registry then serves a different digest).
 */
export async function pushImage(
  registry: TestRegistry,
  layout: string,
  layoutTag: string,
  target: string,
  options: { all?: boolean; format?: 'v2s2' } = {},
): Promise<void> {
  const args = ['--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false'];
  if (registry.pushCreds) args.push('--dest-creds', registry.pushCreds);
  if (options.all) args.push('--all');
  if (options.format) args.push('--format', options.format);
  args.push(`oci:${layout}:${layoutTag}`, `docker://${registry.host}/${target}`);
  const result = await execa('skopeo', args, { reject: false, timeout: 60_000, env: { HOME: registry.dir } });
  if (result.exitCode !== 0) throw new Error(`skopeo copy to ${target} failed: ${result.stderr}`);
}

/** The manifest digest skopeo sees for a pushed single-platform image (for a Docker-format push). */
export async function inspectDigest(registry: TestRegistry, image: string): Promise<string> {
  const args = ['--insecure-policy', 'inspect', '--tls-verify=false', '--format', '{{.Digest}}'];
  if (registry.pushCreds) args.push('--creds', registry.pushCreds);
  const result = await execa('skopeo', [...args, `docker://${registry.host}/${image}`], { timeout: 60_000, env: { HOME: registry.dir } });
  return result.stdout.trim();
}

/** A Docker config.json in a fresh folder, for DOCKER_CONFIG. */
export function dockerConfig(content: object): { dir: string; env: Record<string, string>; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'imageguard-docker-config-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(content));
  return { dir, env: { DOCKER_CONFIG: dir }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const basicAuth = (user: string, pass: string): string => Buffer.from(`${user}:${pass}`).toString('base64');
