/**
 * `helm upgrade` / `helm install` with the user's arguments, output streamed (exec.ts streamHelm), and the one
 * helm setting the Helm 4 post-renderer needs: where helm loads plugins from.
 */
import { runHelm, streamHelm } from './exec.js';

export interface HelmDeployRequest {
  command: 'upgrade' | 'install';
  /** The user's arguments (RELEASE, CHART and flags) unchanged, then any flags imageguard adds at the end. */
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  onStdout(chunk: string): void;
  onStderr(chunk: string): void;
}

/** Runs `$HELM_BIN upgrade|install args...` and returns helm's exit code. */
export function helmDeploy(request: HelmDeployRequest): Promise<number> {
  return streamHelm([request.command, ...request.args], `helm ${request.command}`, {
    env: request.env,
    onStdout: request.onStdout,
    onStderr: request.onStderr,
  });
}

/**
 * The folders helm loads plugins from: `HELM_PLUGINS` when set (helm sets it for plugins), else helm's own default
 * as `helm env HELM_PLUGINS` reports it (it depends on HELM_DATA_HOME, XDG_DATA_HOME and the platform).
 */
export async function helmPluginsPath(env: NodeJS.ProcessEnv): Promise<string> {
  if (env.HELM_PLUGINS) return env.HELM_PLUGINS;
  const { stdout } = await runHelm(['env', 'HELM_PLUGINS'], 'helm env HELM_PLUGINS', { env });
  return stdout.trim();
}
