/**
 * How `imageguard upgrade|install --imageguard-pin|--imageguard-lock` hands its post-renderer to helm
 * (HELM-FACTS.md "Post-renderers"):
 * - Helm 3: `--post-renderer <package>/bin/imageguard-postrender` (an executable path).
 * - Helm 4: `--post-renderer imageguard-postrender`, a `postrenderer/v1` plugin in `<package>/postrender-plugin/`.
 *   That folder is added to HELM_PLUGINS for the helm child only: it is never installed into, or next to, a folder
 *   Helm 3 scans (Helm 3 drops every plugin when one plugin.yaml has `apiVersion`).
 * Arguments go as `--post-renderer-args=<one argv entry>` each (no splitting, no expansion, never read as a flag).
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { UsageError } from '../errors.js';
import { helmPluginsPath } from '../helm/upgrade.js';
import { POSTRENDER_PLUGIN_NAME } from './postrender.js';

export const POSTRENDER_BIN = join(PACKAGE_ROOT, 'bin', 'imageguard-postrender');
/** Holds `imageguard-postrender/plugin.yaml`; outside every folder Helm 3 loads plugins from. */
export const POSTRENDER_PLUGIN_DIR = join(PACKAGE_ROOT, 'postrender-plugin');

export interface PostRendererWiring {
  /** Appended after the user's arguments. */
  args: string[];
  /** The helm child's environment. */
  env: NodeJS.ProcessEnv;
}

export async function wirePostRenderer(helmMajor: number, rendererArgs: readonly string[], env: NodeJS.ProcessEnv): Promise<PostRendererWiring> {
  const passArgs = rendererArgs.map((arg) => `--post-renderer-args=${arg}`);
  if (helmMajor < 4) {
    if (!existsSync(POSTRENDER_BIN)) throw new UsageError(`imageguard's post-renderer is missing: ${POSTRENDER_BIN}`);
    return { args: ['--post-renderer', POSTRENDER_BIN, ...passArgs], env };
  }
  if (!existsSync(join(POSTRENDER_PLUGIN_DIR, POSTRENDER_PLUGIN_NAME, 'plugin.yaml'))) {
    throw new UsageError(`imageguard's Helm 4 post-renderer plugin is missing: ${join(POSTRENDER_PLUGIN_DIR, POSTRENDER_PLUGIN_NAME)}`);
  }
  const plugins = await helmPluginsPath(env);
  const path = plugins ? `${plugins}${delimiter}${POSTRENDER_PLUGIN_DIR}` : POSTRENDER_PLUGIN_DIR;
  return { args: ['--post-renderer', POSTRENDER_PLUGIN_NAME, ...passArgs], env: { ...env, HELM_PLUGINS: path } };
}
