/**
 * The only module that starts kubectl: `--kubectl PATH`, else `kubectl` on PATH, run through execa with an argv
 * array (never a shell). KUBECONFIG and the rest of the environment are inherited; the context, kubeconfig and
 * namespace the user chose (or helm passed to the plugin as HELM_KUBECONTEXT / HELM_NAMESPACE) become flags.
 */
import { execa } from 'execa';
import { KubectlError } from '../errors.js';

export interface PodQuery {
  /** `--kubectl PATH`; null looks `kubectl` up on PATH. */
  kubectl: string | null;
  context: string | null;
  kubeconfig: string | null;
  /** Null leaves the namespace to kubectl (the kube context's, else default). Ignored with allNamespaces. */
  namespace: string | null;
  allNamespaces: boolean;
  /** A label selector (`-l`), or null for every pod. */
  selector: string | null;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 2 * 60_000;
// A namespace with thousands of pods prints tens of MB of JSON; never truncate it.
const MAX_BUFFER = 1024 * 1024 * 1024;
// klog's prefix: `E1122 04:55:24.321867   28053 memcache.go:265] ...` (retry noise before kubectl's own message).
const KLOG_LINE = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+\s+\S+:\d+\]/;

/** The argv of `kubectl get pods -o json` for a query (exported for tests and messages). */
export function getPodsArgs(query: Omit<PodQuery, 'kubectl' | 'env' | 'timeoutMs'>): string[] {
  const args = ['get', 'pods', '--output', 'json'];
  if (query.kubeconfig) args.push('--kubeconfig', query.kubeconfig);
  if (query.context) args.push('--context', query.context);
  if (query.allNamespaces) args.push('--all-namespaces');
  else if (query.namespace) args.push('--namespace', query.namespace);
  if (query.selector) args.push('--selector', query.selector);
  return args;
}

/** kubectl's own error lines without klog's retry noise; the noise only when there is nothing else. */
export function kubectlMessage(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  const own = lines.filter((line) => !KLOG_LINE.test(line));
  return (own.length > 0 ? own.slice(0, 10) : lines.slice(-3)).join('\n');
}

/** `kubectl get pods -o json ...`: kubectl's stdout. Throws KubectlError when kubectl is missing or fails. */
export async function kubectlGetPods(query: PodQuery): Promise<string> {
  const binary = query.kubectl ?? 'kubectl';
  const fromWhere = query.kubectl ? ` (from --kubectl)` : '';
  const timeout = query.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const result = await execa(binary, getPodsArgs(query), {
    reject: false,
    timeout,
    maxBuffer: MAX_BUFFER,
    env: query.env,
    extendEnv: false,
    stdin: 'ignore',
  });
  if (result.failed) {
    const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') {
      throw new KubectlError(
        query.kubectl
          ? `kubectl not found at ${binary}${fromWhere}`
          : 'kubectl not found on PATH: install it, give --kubectl PATH, or audit a saved list with --pods FILE',
      );
    }
    if (code === 'EACCES') throw new KubectlError(`kubectl at ${binary} is not executable${fromWhere}`);
    if (result.timedOut) throw new KubectlError(`listing pods: kubectl did not finish within ${Math.round(timeout / 1000)}s`);
    if (result.isTerminated) throw new KubectlError(`listing pods: kubectl was killed by ${result.signal ?? 'a signal'}`);
    throw new KubectlError(`listing pods: kubectl exited with code ${result.exitCode ?? '?'}`, {
      detail: kubectlMessage(String(result.stderr ?? '')),
    });
  }
  return String(result.stdout ?? '');
}
