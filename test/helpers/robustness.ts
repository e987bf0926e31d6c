/**
 * Helpers for the robustness suites (issue 10): a CLI runner that can drop root's permission override, snapshots of
 * a directory's bytes, and small loopback HTTP servers standing in for registries where a real one cannot produce
 * the fault (a 500, no answer, a malformed WWW-Authenticate header).
 */
import { createHash } from 'node:crypto';
import { execa } from 'execa';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './helm.js';

export const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

/**
 * Tests run as root here, and root writes into a chmod 0555 directory anyway. Running the CLI without
 * CAP_DAC_OVERRIDE (and the related capabilities) makes file modes apply to it as to any user; as non-root nothing
 * needs dropping.
 */
export const UNPRIVILEGED: readonly string[] =
  process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search,-fowner,-chown,-linux_immutable'] : [];

export interface Run {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  cwd?: string;
  /** Run without root's permission override (read-only directories then refuse writes). */
  unprivileged?: boolean;
  /** Extra node arguments before the CLI (e.g. `--import` of a fault injector). */
  nodeArgs?: string[];
  timeoutMs?: number;
}

/** The built CLI (bin/imageguard -> dist/), HELM_NAMESPACE / HELM_DEBUG cleared, NO_COLOR set. */
export async function runImageguard(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const node = [process.execPath, ...(options.nodeArgs ?? []), join(repoRoot, 'bin', 'imageguard'), ...args];
  const argv = options.unprivileged ? [...UNPRIVILEGED, ...node] : node;
  const started = Date.now();
  const result = await execa(argv[0]!, argv.slice(1), {
    reject: false,
    env: { NO_COLOR: '1', HELM_NAMESPACE: undefined, HELM_DEBUG: undefined, HELM_DRIVER: undefined, ...options.env },
    extendEnv: true,
    input: options.input,
    cwd: options.cwd ?? repoRoot,
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
    ms: Date.now() - started,
  };
}

/** Every entry below `dir`: relative path -> type, mode and content hash (or link target). Sorted. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string, rel: string): void => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const key = rel ? `${rel}/${name}` : name;
      const stats = lstatSync(path);
      const mode = (stats.mode & 0o7777).toString(8);
      if (stats.isSymbolicLink()) out[key] = `link ${readlinkSync(path)}`;
      else if (stats.isDirectory()) {
        out[key] = `dir ${mode}`;
        walk(path, key);
      } else out[key] = `file ${mode} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    }
  };
  walk(dir, '');
  return out;
}

export interface FakeServer {
  host: string;
  url: string;
  /** Authorization headers received, in order (undefined when none was sent). */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** A loopback HTTP server; `handle` answers every request. Closes itself after `lifetimeMs`. */
export async function fakeServer(handle: (req: IncomingMessage, res: ServerResponse) => void, lifetimeMs = 110_000): Promise<FakeServer> {
  const authorizations: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const timer = setTimeout(() => server.close(), lifetimeMs);
  timer.unref();
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: `http://${host}`,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The digest a fake registry serves for a manifest path: stable, so two runs agree. */
export const fakeDigest = (path: string): string => `sha256:${createHash('sha256').update(path).digest('hex')}`;

/** Answers like a registry without auth: `/v2/` 200, every manifest 200 with a Docker-Content-Digest header. */
export function registryAnswer(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  if (path === '/v2/') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{}');
    return;
  }
  if (/^\/v2\/.+\/manifests\/[^/]+$/.test(path)) {
    res.writeHead(200, { 'Docker-Content-Digest': fakeDigest(path), 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' });
    res.end(req.method === 'HEAD' ? undefined : '{}');
    return;
  }
  res.writeHead(404);
  res.end();
}
