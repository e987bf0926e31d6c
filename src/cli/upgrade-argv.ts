/**
 * The argv of `imageguard upgrade|install`: imageguard's own `--imageguard-*` flags are taken out; everything else
 * is the user's `helm upgrade|install` command line, passed on unchanged and in order. To find RELEASE and CHART
 * among those, and the flags that shape the render (for the lint render with `helm template`), this needs to know
 * which of helm's flags take a value: the table below, measured with `helm upgrade|install|template --help` of
 * Helm 3.17.3 and 4.1.4 (union of both; helm itself rejects what its version lacks).
 */
import type { Option } from 'commander';
import { UsageError } from '../errors.js';

export type HelmCommand = 'upgrade' | 'install';

/** `bool`: never takes the next token; `optional`: a value only as `--flag=value` (--dry-run, Helm 4's --wait). */
type Arity = 'bool' | 'value' | 'optional';

interface HelmFlag {
  arity: Arity;
  /** Passed to the lint render (`helm template`): it changes what is rendered or where the chart comes from. */
  render?: true;
  short?: string;
}

const V: HelmFlag = { arity: 'value' };
const B: HelmFlag = { arity: 'bool' };
const RV: HelmFlag = { arity: 'value', render: true };
const RB: HelmFlag = { arity: 'bool', render: true };

const HELM_FLAGS: Record<string, HelmFlag> = {
  // values and chart source: rendered exactly as helm upgrade|install would
  '--values': { ...RV, short: '-f' },
  '--set': RV,
  '--set-string': RV,
  '--set-file': RV,
  '--set-json': RV,
  '--set-literal': RV,
  '--version': RV,
  '--devel': RB,
  '--repo': RV,
  '--username': RV,
  '--password': RV,
  '--pass-credentials': RB,
  '--ca-file': RV,
  '--cert-file': RV,
  '--key-file': RV,
  '--insecure-skip-tls-verify': RB,
  '--plain-http': RB,
  '--keyring': RV,
  '--verify': RB,
  '--dependency-update': RB,
  '--skip-schema-validation': RB,
  '--enable-dns': RB,
  '--no-hooks': RB,
  '--skip-crds': RB,
  '--post-renderer': RV,
  '--post-renderer-args': RV,
  '--name-template': RV,
  '--registry-config': RV,
  '--repository-config': RV,
  '--repository-cache': RV,
  '--content-cache': RV,
  // release handling: helm's business only
  '--namespace': { ...V, short: '-n' },
  '--generate-name': { ...B, short: '-g' },
  '--install': { ...B, short: '-i' },
  '--labels': { ...V, short: '-l' },
  '--output': { ...V, short: '-o' },
  '--atomic': B,
  '--cleanup-on-fail': B,
  '--create-namespace': B,
  '--description': V,
  '--disable-openapi-validation': B,
  '--dry-run': { arity: 'optional' },
  '--force': B,
  '--force-conflicts': B,
  '--force-replace': B,
  '--hide-notes': B,
  '--hide-secret': B,
  '--history-max': V,
  '--render-subchart-notes': B,
  '--replace': B,
  '--reset-then-reuse-values': B,
  '--reset-values': B,
  '--reuse-values': B,
  '--rollback-on-failure': B,
  '--take-ownership': B,
  '--timeout': V,
  '--wait': { arity: 'optional' },
  '--wait-for-jobs': B,
  // helm's global flags (a plugin gets these as environment; standalone they are in argv)
  '--burst-limit': V,
  '--color': V,
  '--colour': V,
  '--debug': B,
  '--kube-apiserver': V,
  '--kube-as-group': V,
  '--kube-as-user': V,
  '--kube-ca-file': V,
  '--kube-context': V,
  '--kube-insecure-skip-tls-verify': B,
  '--kube-tls-server-name': V,
  '--kube-token': V,
  '--kubeconfig': V,
  '--qps': V,
};

/** Helm 4's `upgrade --server-side` takes a value (true|false|auto); `install --server-side` is a switch. */
function flagFor(name: string, command: HelmCommand): HelmFlag | undefined {
  if (name === '--server-side') return command === 'upgrade' ? V : B;
  return HELM_FLAGS[name];
}

const SHORTS = new Map(Object.entries(HELM_FLAGS).flatMap(([long, flag]) => (flag.short ? [[flag.short, long] as const] : [])));

export interface UpgradeArgv {
  /** The user's helm arguments without imageguard's own flags, in order and as typed (RELEASE and CHART included). */
  helmArgs: string[];
  /** RELEASE CHART (or CHART alone with --generate-name), as typed. */
  positionals: string[];
  /** The rendering flags among helmArgs, in order, for `helm template`. */
  renderArgs: string[];
  /** From -n/--namespace; null when not given (HELM_NAMESPACE, set by helm for plugins, then applies). */
  namespace: string | null;
  generateName: boolean;
  /** --reuse-values / --reset-then-reuse-values: values the lint render cannot see. */
  reusesValues: boolean;
  /** The user's own --post-renderer. */
  postRenderer: boolean;
  /** `-f -`: values from stdin, which can be read only once. */
  valuesFromStdin: boolean;
  /** Flags helm may not know (not in the table), for the message when RELEASE/CHART do not add up. */
  unknownFlags: string[];
}

const TRUE = new Set(['', '1', 't', 'T', 'true', 'TRUE', 'True']);

/** Splits argv; `own` are the command's own options (commander parsed and checked their values already). */
export function splitUpgradeArgv(argv: readonly string[], own: readonly Option[], command: HelmCommand): UpgradeArgv {
  const out: UpgradeArgv = {
    helmArgs: [],
    positionals: [],
    renderArgs: [],
    namespace: null,
    generateName: false,
    reusesValues: false,
    postRenderer: false,
    valuesFromStdin: false,
    unknownFlags: [],
  };
  const note = (long: string, value: string | null): void => {
    if (long === '--namespace' && value !== null) out.namespace = value;
    if (long === '--generate-name') out.generateName = value === null || TRUE.has(value);
    if (long === '--reuse-values' || long === '--reset-then-reuse-values') out.reusesValues = value === null || TRUE.has(value);
    if (long === '--post-renderer') out.postRenderer = true;
    if (long === '--values' && value !== null && value.split(',').includes('-')) out.valuesFromStdin = true;
  };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      out.helmArgs.push(...argv.slice(i));
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      out.helmArgs.push(token);
      out.positionals.push(token);
      continue;
    }
    const long = token.startsWith('--');
    const eq = long ? token.indexOf('=') : -1;
    const name = eq > 0 ? token.slice(0, eq) : long ? token : token.slice(0, 2);
    const ownOption = own.find((option) => option.long === name || option.short === name);
    if (ownOption) {
      if ((ownOption.required || ownOption.optional) && eq < 0 && !(token.length > 2 && !long)) i += 1;
      continue;
    }
    const next = argv[i + 1];
    if (long) {
      const flag = flagFor(name, command);
      if (!flag) out.unknownFlags.push(name);
      const takesNext = flag?.arity === 'value' && eq < 0;
      if (takesNext && next === undefined) throw new UsageError(`${name} needs a value (helm ${command} ${name})`);
      const value = eq > 0 ? token.slice(eq + 1) : takesNext ? next! : null;
      const tokens = takesNext ? [token, next!] : [token];
      out.helmArgs.push(...tokens);
      if (flag?.render) out.renderArgs.push(...tokens);
      note(name, value);
      if (takesNext) i += 1;
      continue;
    }
    i += shortCluster(token, next, command, out, note);
  }
  return out;
}

/** `-i`, `-f x`, `-fx`, `-if x`: returns how many extra tokens were consumed (0 or 1). */
function shortCluster(
  token: string,
  next: string | undefined,
  command: HelmCommand,
  out: UpgradeArgv,
  note: (long: string, value: string | null) => void,
): number {
  let consumed = 0;
  out.helmArgs.push(token);
  for (let c = 1; c < token.length; c++) {
    const short = `-${token[c]}`;
    const long = SHORTS.get(short);
    const flag = long ? flagFor(long, command) : undefined;
    if (!long || !flag) {
      out.unknownFlags.push(short);
      continue;
    }
    if (flag.arity !== 'value') {
      note(long, null);
      continue;
    }
    let value = token.slice(c + 1).replace(/^=/, '');
    if (value === '') {
      if (next === undefined) throw new UsageError(`${short} needs a value (helm ${command} ${short})`);
      value = next;
      consumed = 1;
      out.helmArgs.push(next);
    }
    if (flag.render) out.renderArgs.push(short, value);
    note(long, value);
    break;
  }
  return consumed;
}
