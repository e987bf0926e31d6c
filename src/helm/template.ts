import { runHelm } from './exec.js';

export interface TemplateRequest {
  chart: string;
  release: string;
  /** Namespace from -n / HELM_NAMESPACE; omitted when null (helm then uses its own default). */
  namespace: string | null;
  /** helm's rendering flags exactly as the user gave them, in order. */
  helmArgs: readonly string[];
  timeoutMs?: number;
}

/** `helm template RELEASE CHART [flags]`: the rendered manifest stream. */
export async function helmTemplate(request: TemplateRequest): Promise<string> {
  const args = ['template', request.release, request.chart];
  if (request.namespace) args.push('--namespace', request.namespace);
  args.push(...request.helmArgs);
  const { stdout } = await runHelm(args, `rendering ${request.chart} failed`, { timeoutMs: request.timeoutMs });
  return stdout;
}
