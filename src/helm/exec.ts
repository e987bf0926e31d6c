import { execa } from 'execa';
import { HelmError } from '../errors.js';
import { resolveHelmBinary, type HelmBinary } from './resolve.js';

export interface HelmRunOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface HelmResult {
  stdout: string;
  stderr: string;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
// Rendered monorepo charts can be large; never truncate helm's output.
const MAX_BUFFER = 1024 * 1024 * 1024;

let cached: HelmBinary | null | undefined;

export function helmBinary(): HelmBinary {
  if (cached === undefined) cached = resolveHelmBinary();
  if (!cached) {
    throw new HelmError('helm not found: set HELM_BIN or put helm on PATH');
  }
  return cached;
}

/** Forget the cached binary (tests that change HELM_BIN). */
export function resetHelmBinary(): void {
  cached = undefined;
}

/** Trims helm's stderr to its error lines; Helm 4 logs `level=WARN` lines that are not failures. */
export function helmMessage(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  const errors = lines.filter((line) => /^Error:|error/i.test(line) && !/^level=(WARN|INFO|DEBUG)/.test(line));
  return (errors.length > 0 ? errors : lines).slice(0, 20).join('\n');
}

/**
 * Runs `$HELM_BIN args...` with an argv array (never a shell). Throws HelmError on a missing or
 * non-executable binary, a signal, a timeout or a non-zero exit, with helm's own stderr as detail.
 */
export async function runHelm(args: readonly string[], what: string, options: HelmRunOptions = {}): Promise<HelmResult> {
  const helm = helmBinary();
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const result = await execa(helm.path, args, {
    reject: false,
    timeout,
    maxBuffer: MAX_BUFFER,
    env: options.env,
    cwd: options.cwd,
    stripFinalNewline: false,
    stdin: 'ignore',
  });
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  const fromWhere = helm.source === 'HELM_BIN' ? ` (HELM_BIN=${helm.path})` : '';
  if (result.failed) {
    const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') throw new HelmError(`helm not found at ${helm.path}${fromWhere}`);
    if (code === 'EACCES') throw new HelmError(`helm at ${helm.path} is not executable${fromWhere}`);
    if (result.timedOut) throw new HelmError(`${what}: helm did not finish within ${Math.round(timeout / 1000)}s`);
    if (result.isTerminated) throw new HelmError(`${what}: helm was killed by ${result.signal ?? 'a signal'}`);
    throw new HelmError(`${what}: helm exited with code ${result.exitCode ?? '?'}`, { detail: helmMessage(stderr) });
  }
  return { stdout, stderr };
}
