/**
 * A HELM_BIN that records every call and then runs the real helm (exec, same argv): to show which helm commands
 * imageguard started, with exactly which arguments, and the HELM_PLUGINS each one got. Not a fake: helm does the work.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HelmBinary } from './helm.js';

export interface HelmCall {
  args: string[];
  helmPlugins: string;
}

export interface LoggedHelm {
  bin: string;
  calls(): HelmCall[];
  clear(): void;
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export function loggedHelm(helm: HelmBinary, dir: string): LoggedHelm {
  const log = join(dir, `helm-${helm.major}.log`);
  const bin = join(dir, `helm-${helm.major}`);
  writeFileSync(log, '');
  // One line per call: the arguments separated by \037, then \036 and HELM_PLUGINS.
  writeFileSync(
    bin,
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\037' "$a"; done >> ${quote(log)}\n` +
      `printf '\\036%s\\n' "$HELM_PLUGINS" >> ${quote(log)}\nexec ${quote(helm.bin)} "$@"\n`,
  );
  chmodSync(bin, 0o755);
  return {
    bin,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => {
          const [args = '', helmPlugins = ''] = line.split('\x1e');
          return { args: args.split('\x1f').slice(0, -1), helmPlugins };
        }),
    clear: () => writeFileSync(log, ''),
  };
}
