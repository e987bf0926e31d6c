import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

export const PINNED_DEV_HELM = 'v3.17.3';

export interface HelmBinary {
  path: string;
  /** Where the choice came from, for error messages. */
  source: 'HELM_BIN' | 'PATH' | 'pinned';
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}


/**
 * HELM_BIN, else `helm` on PATH, else (in a dev checkout only) the pinned Helm 3 fetched by `npm run fetch-helm`.
 * HELM_BIN is the helm command exactly as the user typed it and may be relative (HELM-FACTS: plugins), so it is
 * resolved against the working directory we started in, or looked up on PATH when it is a bare name.
 */
export function resolveHelmBinary(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): HelmBinary | null {
  const fromEnv = env.HELM_BIN;
  if (fromEnv) {
    if (isAbsolute(fromEnv) || fromEnv.includes('/')) return { path: resolve(cwd, fromEnv), source: 'HELM_BIN' };
    return { path: findOnPath(fromEnv, env) ?? fromEnv, source: 'HELM_BIN' };
  }
  const onPath = findOnPath('helm', env);
  if (onPath) return { path: onPath, source: 'PATH' };
  const root = PACKAGE_ROOT;
  const pinned = join(root, '.helm', PINNED_DEV_HELM, 'helm');
  if (existsSync(join(root, 'package.json')) && existsSync(pinned)) return { path: pinned, source: 'pinned' };
  return null;
}
