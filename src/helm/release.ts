/**
 * Typed helm calls that read and roll back a release: history, get metadata/manifest/hooks, rollback.
 * Every call goes through $HELM_BIN with an argv array (exec.ts). Works against a cluster and against helm's memory
 * driver (HELM_DRIVER=memory HELM_MEMORY_DRIVER_DATA=file), identically in Helm 3.17 and 4.1 (HELM-FACTS.md).
 */
import { HelmError } from '../errors.js';
import { runHelm, streamHelm } from './exec.js';

/** Which release, and the cluster flags that find it. */
export interface ReleaseScope {
  release: string;
  /** From -n: passed as --namespace. Null: helm decides (HELM_NAMESPACE, which helm sets for plugins, else the
   * kube context's namespace, else default). */
  namespace: string | null;
  /** From --kube-context; null leaves HELM_KUBECONTEXT (set by helm for plugins) to the child helm. */
  kubeContext: string | null;
  /** From --kubeconfig; null leaves KUBECONFIG to the child helm. */
  kubeconfig: string | null;
  /** Environment of the helm children (HELM_* and KUBECONFIG are inherited from it). */
  env: NodeJS.ProcessEnv;
}

/** One row of `helm history -o json` (same fields in Helm 3 and 4). */
export interface HistoryEntry {
  revision: number;
  updated: string;
  status: string;
  /** `name-version`, e.g. `helm-create-0.1.0`. */
  chart: string;
  appVersion: string;
  description: string;
}

/** `helm get metadata -o json`: the release's namespace as helm stored it. */
export interface ReleaseMetadata {
  name: string;
  namespace: string;
  revision: number;
  status: string;
}

/** The release or revision does not exist (helm: `Error: release: not found`, `release has no N version`). */
export class ReleaseNotFoundError extends HelmError {}

const NOT_FOUND = /release: not found|release has no \d+ version|has no deployed releases/;

function scopeArgs(scope: ReleaseScope): string[] {
  const args: string[] = [];
  if (scope.namespace) args.push('--namespace', scope.namespace);
  if (scope.kubeContext) args.push('--kube-context', scope.kubeContext);
  if (scope.kubeconfig) args.push('--kubeconfig', scope.kubeconfig);
  return args;
}

/** `namespace prod`, or where helm looked when no -n was given. */
export function namespaceLabel(scope: ReleaseScope): string {
  const namespace = scope.namespace ?? scope.env.HELM_NAMESPACE;
  return namespace ? `namespace ${namespace}` : 'the current namespace';
}

async function read(scope: ReleaseScope, args: string[], what: string, notFound: string): Promise<string> {
  try {
    const { stdout } = await runHelm([...args, ...scopeArgs(scope)], what, { env: scope.env });
    return stdout;
  } catch (error) {
    if (error instanceof HelmError && NOT_FOUND.test(error.detail ?? '')) {
      throw new ReleaseNotFoundError(notFound, { detail: error.detail, cause: error });
    }
    throw error;
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HelmError(`${what}: helm printed something that is not JSON`, { detail: text.slice(0, 200) });
  }
}

const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

/** `helm history RELEASE -o json`, oldest first. */
export async function helmHistory(scope: ReleaseScope): Promise<HistoryEntry[]> {
  const what = `reading the history of release ${scope.release}`;
  const text = await read(
    scope,
    ['history', scope.release, '-o', 'json'],
    what,
    `release ${scope.release} not found in ${namespaceLabel(scope)}`,
  );
  const rows = parseJson(text, what);
  if (!Array.isArray(rows)) throw new HelmError(`${what}: helm printed JSON that is not a list`);
  return rows
    .map((row: Record<string, unknown>) => ({
      revision: Number(row.revision),
      updated: str(row.updated),
      status: str(row.status),
      chart: str(row.chart),
      appVersion: str(row.app_version),
      description: str(row.description),
    }))
    .filter((row) => Number.isInteger(row.revision))
    .sort((a, b) => a.revision - b.revision);
}

/** `helm get metadata RELEASE -o json` (Helm 3.13+ and 4). */
export async function helmReleaseMetadata(scope: ReleaseScope): Promise<ReleaseMetadata> {
  const what = `reading the metadata of release ${scope.release}`;
  const text = await read(
    scope,
    ['get', 'metadata', scope.release, '-o', 'json'],
    what,
    `release ${scope.release} not found in ${namespaceLabel(scope)}`,
  );
  const data = parseJson(text, what) as Record<string, unknown>;
  return { name: str(data.name), namespace: str(data.namespace), revision: Number(data.revision), status: str(data.status) };
}

/** `helm get manifest RELEASE --revision N`: the rendered resources without hooks. */
export function helmGetManifest(scope: ReleaseScope, revision: number): Promise<string> {
  return read(
    scope,
    ['get', 'manifest', scope.release, '--revision', String(revision)],
    `reading the manifest of revision ${revision} of release ${scope.release}`,
    `release ${scope.release} has no revision ${revision} (${namespaceLabel(scope)})`,
  );
}

/** `helm get hooks RELEASE --revision N`: the hook resources (`# Source:` marked, like a manifest). */
export function helmGetHooks(scope: ReleaseScope, revision: number): Promise<string> {
  return read(
    scope,
    ['get', 'hooks', scope.release, '--revision', String(revision)],
    `reading the hooks of revision ${revision} of release ${scope.release}`,
    `release ${scope.release} has no revision ${revision} (${namespaceLabel(scope)})`,
  );
}

export interface RollbackRequest {
  revision: number;
  /** The user's helm rollback flags, unchanged and in order. */
  helmArgs: readonly string[];
  onStdout(chunk: string): void;
  onStderr(chunk: string): void;
}

/** The argv of `helm rollback` (exported for tests and for the message that shows what runs). */
export function rollbackArgs(scope: ReleaseScope, request: Pick<RollbackRequest, 'revision' | 'helmArgs'>): string[] {
  return ['rollback', scope.release, String(request.revision), ...scopeArgs(scope), ...request.helmArgs];
}

/** `helm rollback RELEASE REVISION [flags]` with helm's output streamed through; returns helm's exit code. */
export function helmRollback(scope: ReleaseScope, request: RollbackRequest): Promise<number> {
  return streamHelm(rollbackArgs(scope, request), `rolling back release ${scope.release}`, {
    env: scope.env,
    onStdout: request.onStdout,
    onStderr: request.onStderr,
  });
}
