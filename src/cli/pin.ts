import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { ExitCode, UsageError } from '../errors.js';
import { compareLock, LOCK_FILE, readLock, updateLock, writeLock, type Lock } from '../pin/lock.js';
import { inspectChartArgument } from '../source/chart.js';
import { renderChart } from '../source/render.js';
import { userValues } from '../values/chart-values.js';
import { isDebug } from './format-error.js';
import { addHelmRenderOptions, extractHelmArgs } from './helm-flags.js';
import type { Io } from './io.js';
import { collect, parseDuration, parsePositiveInt } from './parse-options.js';
import { pinPlanOf, resolvePlan } from './pin-run.js';
import { INSECURE_REGISTRY_HELP } from './registry-options.js';

interface PinOptions {
  lock: string;
  check?: boolean;
  release: string;
  namespace?: string;
  insecureRegistry?: string[];
  registryTimeout?: number;
  jobs?: number;
  timeout?: number;
  debug?: boolean;
}

export function pinCommand(io: Io, done: (code: number) => void): Command {
  const command = new Command('pin')
    .summary('resolve every image tag of a chart to its registry digest and write a lock file')
    .description(
      "Render CHART with `helm template` (helm's rendering flags pass through in order), resolve the tag of every " +
        'pod-spec image without a digest to the digest the registry serves now (the index digest for multi-arch ' +
        'images), and write them to the lock file, sorted, atomically. With --check, write nothing and exit 1 when a ' +
        'tag points elsewhere than the lock says or an image is missing from it. Deploy the lock with ' +
        '`imageguard upgrade RELEASE CHART --imageguard-lock FILE`.',
    )
    .argument('<chart>', 'chart to render (directory, .tgz, repo/name or oci://...)')
    .option('--lock <file>', 'lock file to write (or to compare with --check)', LOCK_FILE)
    .option('--check', 'write nothing; exit 1 when a tag moved or an image is not in the lock file')
    .option('--release <name>', 'release name used for rendering', 'release-name')
    .option('-n, --namespace <namespace>', 'namespace used for rendering (default: $HELM_NAMESPACE, else default)')
    .option('--insecure-registry <host>', INSECURE_REGISTRY_HELP, collect)
    .option('--registry-timeout <duration>', 'give up on one registry request after this long (default 30s)', parseDuration)
    .option('-j, --jobs <n>', 'resolve this many images at once (default 8)', parsePositiveInt)
    .option('--timeout <duration>', 'give up on helm after this long (e.g. 90s, 5m)', parseDuration)
    .option('--debug', 'log each registry request (never credentials) and show stack traces (also HELM_DEBUG=true)');
  addHelmRenderOptions(command);
  command.addHelpText(
    'after',
    '\nCredentials come from Docker\'s config.json (auths, credsStore, credHelpers) and Helm\'s registry config.\n' +
      'Exit codes: 0 written (or --check: up to date), 1 --check found a moved tag or a missing image,\n' +
      '2 usage error, 3 helm failed, 4 registry failure (the message names the image and the registry\'s answer).\n' +
      'Examples:\n  imageguard pin ./mychart -f prod.yaml\n  imageguard pin ./mychart -f prod.yaml --check',
  );
  command.action(async (chart: string, options: PinOptions, cmd: Command) => {
    done(await runPin(chart, extractHelmArgs(commandArgv(cmd), cmd.options), options, io));
  });
  return command;
}

async function runPin(chart: string, helmArgs: string[], options: PinOptions, io: Io): Promise<number> {
  inspectChartArgument(chart, { hasRepoFlag: helmArgs.some((arg) => arg.startsWith('--repo')) });
  for (const file of userValues(helmArgs).files) {
    if (file !== '-' && !existsSync(file)) throw new UsageError(`values file not found: ${file} (from -f/--values)`);
  }
  // Read the lock before the network: a broken lock file is a usage error, found in a second.
  const previous: Lock | null = options.check || existsSync(options.lock) ? readLock(options.lock) : null;
  const namespace = options.namespace ?? (io.env.HELM_NAMESPACE || 'default');
  const docs = await renderChart({ chart, release: options.release, namespace, helmArgs, timeoutMs: options.timeout });
  const plan = pinPlanOf(docs, namespace);
  const settings = {
    insecureRegistries: options.insecureRegistry ?? [],
    timeoutMs: options.registryTimeout,
    debug: options.debug === true || isDebug([], io.env),
  };
  const digests = await resolvePlan(plan, settings, io, options.jobs);
  if (plan.alreadyPinned.length > 0) io.stderr(`imageguard: ${plan.alreadyPinned.length} image(s) already carry a digest and need no pin\n`);

  if (options.check) {
    const drift = compareLock(previous!, digests);
    for (const { image, locked, now } of drift.moved) io.stdout(`moved    ${image}\n  lock:     ${locked}\n  registry: ${now}\n`);
    for (const image of drift.missing) io.stdout(`missing  ${image} (not in ${options.lock})\n`);
    for (const image of drift.stale) io.stderr(`imageguard: note: ${image} is in ${options.lock} but no longer rendered\n`);
    if (drift.moved.length > 0 || drift.missing.length > 0) {
      io.stderr(
        `imageguard: ${options.lock} is out of date: ${drift.moved.length} tag(s) moved, ${drift.missing.length} image(s) missing; ` +
          'run imageguard pin without --check to update it\n',
      );
      return ExitCode.findings;
    }
    io.stderr(`imageguard: ${options.lock} matches the registry (${digests.size} image(s))\n`);
    return ExitCode.ok;
  }

  const lock = updateLock(previous, digests, new Date());
  const before = new Map((previous?.entries ?? []).map((entry) => [entry.image, entry.digest]));
  for (const entry of lock.entries) {
    const was = before.get(entry.image);
    const status = was === undefined ? 'new' : was === entry.digest ? 'unchanged' : `moved (was ${was})`;
    io.stdout(`${entry.image}  ${entry.digest}  ${status}\n`);
  }
  writeLock(options.lock, lock);
  io.stderr(`imageguard: wrote ${options.lock} (${lock.entries.length} image(s))\n`);
  return ExitCode.ok;
}

// Commander keeps the raw argv of the whole program; the command's own part follows its name.
function commandArgv(cmd: Command): string[] {
  const raw = (cmd.parent as (Command & { rawArgs?: string[] }) | null)?.rawArgs ?? [];
  const at = raw.indexOf(cmd.name());
  return at >= 0 ? raw.slice(at + 1) : raw;
}
