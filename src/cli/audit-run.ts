/** The audit's I/O edge: pods from kubectl or a file, the release manifest through helm; src/audit does the judging. */
import { InvalidArgumentError } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { audit, auditFails } from '../audit/analyze.js';
import { AUDIT_FORMATTERS } from '../audit/format.js';
import { parsePodList, PodListError } from '../audit/pods.js';
import { releaseView, type ReleaseView } from '../audit/release.js';
import { AUDIT_SCHEMA_VERSION, type AuditReport, type AuditTarget, type Pod } from '../audit/types.js';
import { findConfigFile, loadConfigFile, settingsFromConfig } from '../config/load.js';
import { defaultConfig } from '../config/types.js';
import { ExitCode, HelmError, KubectlError, UsageError } from '../errors.js';
import { helmGetManifest, helmReleaseMetadata, type ReleaseScope } from '../helm/release.js';
import { helmVersion } from '../helm/version.js';
import { emitReport } from '../io/output.js';
import { kubectlGetPods } from '../kube/kubectl.js';
import { ManifestParseError, parseManifestStream } from '../manifest/parse.js';
import { VERSION } from '../version.js';
import type { AuditOptions } from './audit.js';
import { useColor, type Io } from './io.js';

export function parseRevisionNumber(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError(`"${value}" is not a revision number (1, 2, ...; see helm history RELEASE)`);
  }
  return Number(value);
}

interface ReleaseRead {
  view: ReleaseView;
  revision: number;
  namespace: string;
  helmVersion: string;
}

/** The release's current (or --revision) manifest: `helm get metadata`, then `helm get manifest --revision N`. */
async function readRelease(release: string, options: AuditOptions, io: Io): Promise<ReleaseRead> {
  if (release.trim() === '') throw new UsageError('the release name is empty');
  const scope: ReleaseScope = {
    release,
    namespace: options.namespace ?? null,
    kubeContext: options.kubeContext ?? null,
    kubeconfig: options.kubeconfig ?? null,
    env: io.env,
  };
  const metadata = await helmReleaseMetadata(scope);
  const revision = options.revision ?? metadata.revision;
  const manifest = await helmGetManifest(scope, revision);
  let docs;
  try {
    docs = parseManifestStream(manifest);
  } catch (error) {
    if (!(error instanceof ManifestParseError)) throw error;
    throw new HelmError(`the manifest of release ${release} revision ${revision} does not parse: ${error.message}`);
  }
  const namespace = metadata.namespace || options.namespace || io.env.HELM_NAMESPACE || 'default';
  return { view: releaseView(release, docs, namespace), revision, namespace, helmVersion: await helmVersion() };
}

function readPodsFile(file: string, io: Io): string {
  if (file === '-') return io.readStdin();
  if (!existsSync(file)) throw new UsageError(`--pods ${file}: file not found`);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--pods ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

async function readPods(options: AuditOptions, namespace: string | null, io: Io): Promise<Pod[]> {
  if (options.pods !== undefined) {
    const text = readPodsFile(options.pods, io);
    let pods: Pod[];
    try {
      pods = parsePodList(text);
    } catch (error) {
      if (error instanceof PodListError) throw new UsageError(`--pods ${options.pods === '-' ? '(stdin)' : options.pods}: ${error.message}`);
      throw error;
    }
    // A saved list may span namespaces: only an explicit -n narrows it (helm always sets HELM_NAMESPACE for plugins).
    const only = options.namespace;
    return only && !options.allNamespaces ? pods.filter((pod) => pod.namespace === null || pod.namespace === only) : pods;
  }
  const stdout = await kubectlGetPods({
    kubectl: options.kubectl ?? null,
    context: options.kubeContext ?? null,
    kubeconfig: options.kubeconfig ?? null,
    namespace,
    allNamespaces: options.allNamespaces === true,
    selector: options.selector ?? null,
    env: io.env,
    timeoutMs: options.timeout,
  });
  try {
    return parsePodList(stdout);
  } catch (error) {
    if (error instanceof PodListError) throw new KubectlError(`kubectl printed something that is not a pod list: ${error.message}`);
    throw error;
  }
}

function checkFlags(options: AuditOptions): void {
  if (options.pods === undefined) return;
  for (const [flag, value] of [['--selector', options.selector], ['--kubectl', options.kubectl]] as const) {
    if (value !== undefined) throw new UsageError(`${flag} chooses what kubectl lists; it does not apply to --pods ${options.pods}`);
  }
}

function mutableTags(options: AuditOptions, io: Io): readonly string[] {
  if (options.config && !existsSync(options.config)) throw new UsageError(`config file not found: ${options.config} (from --config)`);
  const file = options.config ?? findConfigFile(io.cwd);
  const config = file ? loadConfigFile(file) : defaultConfig();
  return settingsFromConfig(config, { mutableTags: options.mutableTag ?? [] }).mutableTags;
}

export async function runAudit(release: string | null, options: AuditOptions, io: Io): Promise<number> {
  checkFlags(options);
  const tags = mutableTags(options, io);
  // HELM_KUBECONTEXT is what `helm --kube-context` becomes for a plugin; helm children read it themselves.
  const context = options.kubeContext ?? (io.env.HELM_KUBECONTEXT || null);
  const fromRelease = release === null ? null : await readRelease(release, options, io);
  const namespace = options.namespace ?? fromRelease?.namespace ?? (io.env.HELM_NAMESPACE || null);
  const pods = await readPods({ ...options, kubeContext: context ?? undefined }, namespace, io);
  const result = audit({
    pods,
    release: fromRelease?.view ?? null,
    selectReleasePods: options.selector === undefined,
    classify: { mutableTags: tags },
  });
  const target: AuditTarget = {
    release,
    revision: fromRelease?.revision ?? null,
    // A saved list is narrowed by an explicit -n only; a release still says where its pods are.
    namespace: options.allNamespaces ? null : options.pods === undefined ? namespace : (options.namespace ?? fromRelease?.namespace ?? null),
    allNamespaces: options.allNamespaces === true,
    context,
    pods: options.pods ?? 'kubectl',
    selector: options.selector ?? null,
    helmVersion: fromRelease?.helmVersion ?? null,
  };
  const report: AuditReport = { schemaVersion: AUDIT_SCHEMA_VERSION, tool: { name: 'imageguard', version: VERSION }, target, ...result };
  const color = useColor(io, options.output === undefined || options.output === '-', options.color);
  emitReport(AUDIT_FORMATTERS[options.format](report, { color }), options.output, io);
  return auditFails(report.findings, options.failOn) ? ExitCode.findings : ExitCode.ok;
}
