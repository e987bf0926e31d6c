import { execa } from 'execa';
import { HelmError } from '../errors.js';
import { argvSecrets, redactSecrets } from '../io/redact.js';
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
const PIPE_GRACE_MS = 500;

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
  const subprocess = execa(helm.path, args, {
    reject: false,
    timeout,
    maxBuffer: MAX_BUFFER,
    env: options.env,
    cwd: options.cwd,
    stripFinalNewline: false,
    stdin: 'ignore',
  });
  // execa kills helm at the timeout but then waits for helm's output pipes to close, and a process helm started (a
  // plugin, a post-renderer) may still hold them: close our ends shortly after the deadline so --timeout holds.
  const closer = setTimeout(() => {
    subprocess.stdout?.destroy();
    subprocess.stderr?.destroy();
  }, timeout + PIPE_GRACE_MS);
  const result = await subprocess.finally(() => clearTimeout(closer));
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  const fromWhere = helm.source === 'HELM_BIN' ? ` (HELM_BIN=${helm.path})` : '';
  if (result.failed) {
    // helm quotes URLs from its arguments in its messages, passwords included.
    const secrets = argvSecrets(args);
    const shown = redactSecrets(what, secrets);
    const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') throw new HelmError(`helm not found at ${helm.path}${fromWhere}`);
    if (code === 'EACCES') throw new HelmError(`helm at ${helm.path} is not executable${fromWhere}`);
    if (result.timedOut) throw new HelmError(`${shown}: helm did not finish within ${Math.round(timeout / 1000)}s`);
    if (result.isTerminated) throw new HelmError(`${shown}: helm was killed by ${result.signal ?? 'a signal'}`);
    throw new HelmError(`${shown}: helm exited with code ${result.exitCode ?? '?'}`, { detail: redactSecrets(helmMessage(stderr), secrets) });
  }
  return { stdout, stderr };
}

export interface HelmStreamOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** helm's stdout and stderr, passed on chunk by chunk as helm writes them. */
  onStdout(chunk: string): void;
  onStderr(chunk: string): void;
}

/**
 * Runs `$HELM_BIN args...` (argv array, never a shell) with its output streamed through as it comes, and returns
 * helm's own exit code: for commands whose output is the user's (helm rollback). No timeout: helm has its own
 * (--timeout) and the user can interrupt. Throws HelmError only when helm could not run or was killed.
 */
export async function streamHelm(args: readonly string[], what: string, options: HelmStreamOptions): Promise<number> {
  const helm = helmBinary();
  const child = execa(helm.path, args, {
    reject: false,
    buffer: false,
    env: options.env,
    cwd: options.cwd,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => options.onStdout(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => options.onStderr(chunk));
  const result = await child;
  const fromWhere = helm.source === 'HELM_BIN' ? ` (HELM_BIN=${helm.path})` : '';
  const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') throw new HelmError(`helm not found at ${helm.path}${fromWhere}`);
  if (code === 'EACCES') throw new HelmError(`helm at ${helm.path} is not executable${fromWhere}`);
  if (result.isTerminated) throw new HelmError(`${what}: helm was killed by ${result.signal ?? 'a signal'}`);
  if (result.exitCode === undefined) throw new HelmError(`${what}: helm could not be started${fromWhere}`);
  return result.exitCode;
}
