/** The argv of `imageguard rollback`: our own flags, RELEASE [REVISION], and helm rollback's flags kept in order. */
import type { Option } from 'commander';
import { UsageError } from '../errors.js';

export interface HelmRollbackFlag {
  name: string;
  /** `bool`: never takes the next token (`--flag` or `--flag=value`); `value`: `--flag V` or `--flag=V`. */
  arity: 'bool' | 'value';
  description: string;
}

/**
 * helm rollback's own flags in Helm 3.17 and 4.1 (measured with `helm rollback --help`). Passed to helm unchanged;
 * helm itself rejects the ones its version lacks. Helm 3's `--force` is not here: `--force` is imageguard's (roll
 * back despite the verdicts); give helm's after `--`. Helm's global flags (-n, --kube-context, ...) reach a plugin
 * as environment (HELM-FACTS.md); standalone, -n/--kube-context/--kubeconfig are imageguard options passed on.
 */
export const HELM_ROLLBACK_FLAGS: readonly HelmRollbackFlag[] = [
  { name: '--cleanup-on-fail', arity: 'bool', description: 'delete new resources of a failed rollback (helm)' },
  { name: '--dry-run', arity: 'bool', description: 'simulate the rollback (helm; Helm 4: --dry-run=client|server)' },
  { name: '--force-replace', arity: 'bool', description: 'force updates by replacement (Helm 4; Helm 3: -- --force)' },
  { name: '--force-conflicts', arity: 'bool', description: 'force server-side apply over conflicts (Helm 4)' },
  { name: '--history-max', arity: 'value', description: 'revisions to keep (helm)' },
  { name: '--no-hooks', arity: 'bool', description: 'run no hooks (helm); also makes hooks not count in the check' },
  { name: '--recreate-pods', arity: 'bool', description: 'restart pods (Helm 3 only)' },
  { name: '--server-side', arity: 'value', description: 'true, false or auto (Helm 4)' },
  { name: '--timeout', arity: 'value', description: 'wait this long per Kubernetes operation (helm)' },
  { name: '--wait', arity: 'bool', description: 'wait until resources are ready (helm; Helm 4: --wait=watcher|...)' },
  { name: '--wait-for-jobs', arity: 'bool', description: 'with --wait, wait for Jobs too (helm)' },
];

const HELM_FLAGS = new Map(HELM_ROLLBACK_FLAGS.map((flag) => [flag.name, flag]));

export interface RollbackArgv {
  /** RELEASE and REVISION as typed. */
  positionals: string[];
  /** helm rollback flags in their original order and spelling, then everything after `--` unchanged. */
  helmArgs: string[];
}

function ownOption(options: readonly Option[], name: string): Option | undefined {
  return options.find((option) => option.long === name || option.short === name);
}

/**
 * Splits argv (commander has parsed our own options already; this keeps what it cannot: the order and spelling of
 * helm's flags, and their `--flag=value` forms). An option that is neither ours nor helm rollback's is a usage error.
 */
export function splitRollbackArgv(argv: readonly string[], own: readonly Option[]): RollbackArgv {
  const positionals: string[] = [];
  const helmArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      helmArgs.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    const long = token.startsWith('--');
    const eq = long ? token.indexOf('=') : -1;
    const name = eq > 0 ? token.slice(0, eq) : long ? token : token.slice(0, 2);
    const inline = eq > 0 || (!long && token.length > 2);
    const helm = HELM_FLAGS.get(name);
    if (helm) {
      helmArgs.push(token);
      if (helm.arity === 'value' && !inline) {
        const value = argv[i + 1];
        if (value === undefined) throw new UsageError(`${name} needs a value (helm rollback ${name})`);
        helmArgs.push(value);
        i += 1;
      }
      continue;
    }
    const option = ownOption(own, name);
    if (!option) {
      throw new UsageError(
        `unknown option ${name}: neither an imageguard rollback option nor a helm rollback flag it knows; ` +
          `pass other helm flags after --, e.g. imageguard rollback RELEASE REVISION -- ${token}`,
      );
    }
    if ((option.required || option.optional) && !inline) i += 1;
  }
  return { positionals, helmArgs };
}

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);

/** Whether helm rollback runs hooks with these flags (`--no-hooks`, `--no-hooks=false`: the last one wins). */
export function hooksRunWith(helmArgs: readonly string[]): boolean {
  let hooks = true;
  for (const arg of helmArgs) {
    if (arg === '--no-hooks') hooks = false;
    else if (arg.startsWith('--no-hooks=')) hooks = !TRUE.has(arg.slice('--no-hooks='.length));
  }
  return hooks;
}

/** The command line as a person would type it, for messages only (nothing ever runs through a shell). */
export function displayCommand(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
