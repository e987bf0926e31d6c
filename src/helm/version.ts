import { runHelm } from './exec.js';

let cached: Promise<string> | undefined;

/** `helm version --short` without the build suffix, e.g. `v3.17.3`. Asked once per process. */
export function helmVersion(): Promise<string> {
  cached ??= runHelm(['version', '--short'], 'helm version').then(({ stdout }) => stdout.trim().replace(/\+.*$/, ''));
  return cached;
}
