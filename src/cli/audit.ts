import { Command, Option } from 'commander';
import type { AuditFailOn } from '../audit/analyze.js';
import { AUDIT_FORMATS, type AuditFormat } from '../audit/types.js';
import { parseRevisionNumber, runAudit } from './audit-run.js';
import { isDebug } from './format-error.js';
import type { Io } from './io.js';
import { collectMutableTag, parseDuration } from './parse-options.js';

export interface AuditOptions {
  pods?: string;
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  kubeContext?: string;
  kubeconfig?: string;
  kubectl?: string;
  revision?: number;
  format: AuditFormat;
  output?: string;
  failOn: AuditFailOn;
  config?: string;
  mutableTag?: string[];
  timeout?: number;
  color: boolean;
  debug?: boolean;
}

/** `imageguard audit [RELEASE]`: which images the pods really run, per workload, against the release manifest. */
export function auditCommand(io: Io, done: (code: number) => void): Command {
  const command = new Command('audit')
    .summary('find pods of one workload running different images (live drift)')
    .description(
      'Compare the image digests (status.containerStatuses[].imageID) that the pods of each workload run: pods ' +
        'that ask for the same reference but run different digests are drift. With RELEASE, audit the pods of ' +
        'that Helm release and compare each digest with the one the release manifest pins. Pods come from ' +
        '`kubectl get pods -o json`, or from a saved copy with --pods.',
    )
    .argument('[release]', 'Helm release whose pods to audit and whose manifest to compare with')
    .option('--pods <file>', 'read pods from FILE (saved `kubectl get pods -o json` or -o yaml), or - for stdin')
    .option('-n, --namespace <namespace>', 'namespace (default: $HELM_NAMESPACE, else the release\'s or kubectl\'s)')
    .option('-A, --all-namespaces', 'audit pods in every namespace (kubectl --all-namespaces)')
    .option('-l, --selector <selector>', 'only pods matching this label selector (kubectl -l); replaces the release\'s own selection')
    .option('--kube-context <name>', 'kubeconfig context for kubectl and helm (default: $HELM_KUBECONTEXT)')
    .option('--kubeconfig <file>', 'kubeconfig file for kubectl and helm (default: $KUBECONFIG)')
    .option('--kubectl <path>', 'kubectl binary (default: kubectl on PATH)')
    .option('--revision <n>', 'compare with this release revision (default: the current one)', parseRevisionNumber)
    .addOption(new Option('--format <format>', 'report format').choices(AUDIT_FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
        .choices(['error', 'warning', 'info', 'never'])
        .default('error'),
    )
    .option('--config <file>', 'configuration file for mutableTags (default: .imageguard.yaml from here upwards)')
    .option('--mutable-tag <name>', 'treat this tag as mutable too (glob with *); repeatable', collectMutableTag)
    .option('--timeout <duration>', 'give up on kubectl after this long (default 2m; e.g. 90s, 5m)', parseDuration)
    .option('--no-color', 'no colour in text output (also NO_COLOR)')
    .option('--debug', 'show stack traces for errors (also HELM_DEBUG=true)');
  command.addHelpText(
    'after',
    '\nExit codes: 0 clean, 1 drift (findings at or above --fail-on), 2 usage error or unreadable --pods file,\n' +
      '3 helm or kubectl failed (missing, cluster unreachable, release not found; their own message is shown).\n' +
      'Examples:\n  helm imageguard audit my-release -n prod\n' +
      '  imageguard audit --all-namespaces --format markdown\n' +
      '  kubectl get pods -n prod -o json > pods.json && imageguard audit my-release -n prod --pods pods.json',
  );
  command.action(async (release: string | undefined, options: AuditOptions) => {
    done(await runAudit(release ?? null, { ...options, debug: options.debug === true || isDebug([], io.env) }, io));
  });
  return command;
}
