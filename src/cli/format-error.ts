import { ImageguardError } from '../errors.js';

/** One or two lines for the user; the stack only with --debug / HELM_DEBUG. */
export function formatError(error: unknown, debug: boolean): string {
  if (error instanceof ImageguardError) {
    const detail = error.detail ? `\n${error.detail.replace(/^/gm, '  ')}` : '';
    const stack = debug && error.stack ? `\n${error.stack}` : '';
    return `imageguard: ${error.message}${detail}${stack}\n`;
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  const hint = debug ? '' : ' (internal error; rerun with --debug for details)';
  return `imageguard: ${message}${hint}${stack}\n`;
}

export function isDebug(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes('--debug') || env.HELM_DEBUG === 'true' || env.HELM_DEBUG === '1';
}
