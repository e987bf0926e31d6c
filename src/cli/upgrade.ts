/**
 * `imageguard upgrade RELEASE CHART [helm upgrade args]` and `imageguard install [RELEASE] CHART [helm install args]`:
 * render with exactly the user's rendering flags, lint, refuse on findings at or above --imageguard-fail-on without
 * starting helm; else run `$HELM_BIN upgrade|install` with the user's arguments unchanged (output streamed, helm's
 * exit code returned), through imageguard's post-renderer with --imageguard-pin / --imageguard-lock.
 */
import { Command, Option } from 'commander';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import { helmDeploy } from '../helm/upgrade.js';
import { helmVersion } from '../helm/version.js';
import { failsThreshold, type FailOn } from '../lint/engine.js';
import { readLock, updateLock, writeLock } from '../pin/lock.js';
import { FORMATTERS } from '../report/index.js';
import { inspectChartArgument } from '../source/chart.js';
import { renderChart } from '../source/render.js';
import { userValues } from '../values/chart-values.js';
import { isDebug } from './format-error.js';
import { useColor, type Io } from './io.js';
import { buildReport, configResolver, expiredNotice, lintRenderedChart } from './lint-pipeline.js';
import { collect, parseDuration } from './parse-options.js';
import { pinPlanOf, resolvePlan } from './pin-run.js';
import { wirePostRenderer } from './postrender-wiring.js';
import { INSECURE_REGISTRY_HELP } from './registry-options.js';
import { splitUpgradeArgv, type HelmCommand, type UpgradeArgv } from './upgrade-argv.js';

interface DeployOptions {
  imageguardPin?: boolean;
  pin?: boolean;
  imageguardLock?: string;
  lock?: string;
  imageguardFailOn: FailOn;
  imageguardConfig?: string;
  imageguardInsecureRegistry?: string[];
  imageguardRegistryTimeout?: number;
}

export const upgradeCommand = (io: Io, done: (code: number) => void): Command => deployCommand('upgrade', io, done);
export const installCommand = (io: Io, done: (code: number) => void): Command => deployCommand('install', io, done);

function deployCommand(kind: HelmCommand, io: Io, done: (code: number) => void): Command {
  const usage = kind === 'upgrade' ? 'RELEASE CHART' : '[RELEASE] CHART';
  const command = new Command(kind)
    .usage(`${usage} [helm ${kind} flags] [--imageguard-* flags]`)
    .summary(`lint the exact render, then helm ${kind} (optionally with image digests pinned)`)
    .description(
      `Render CHART with the rendering flags given (values, --set*, --version, --repo, ...) as helm ${kind} would, ` +
        `lint it, and refuse without starting helm when a finding is at or above --imageguard-fail-on. Otherwise run ` +
        `\`$HELM_BIN ${kind}\` with every argument except imageguard's own, unchanged and in order; helm's output is ` +
        'streamed and its exit code returned. --imageguard-pin / --imageguard-lock deploy digests through ' +
        "imageguard's post-renderer (Helm 3: an executable; Helm 4: a postrenderer/v1 plugin added for that helm run only).",
    )
    .argument('[args...]', `${usage} and helm ${kind}'s flags`)
    .option('--imageguard-pin', 'resolve every pod-spec image to its registry digest now and deploy the digests')
    .addOption(new Option('--pin', 'short for --imageguard-pin').hideHelp())
    .option('--imageguard-lock <file>', 'deploy the digests of this lock file (imageguard pin writes it); an image it lacks fails')
    .addOption(new Option('--lock <file>', 'short for --imageguard-lock').hideHelp())
    .addOption(
      new Option('--imageguard-fail-on <severity>', 'refuse when a finding is at or above this severity')
        .choices(['error', 'warning', 'info', 'never'])
        .default('error'),
    )
    .option('--imageguard-config <file>', 'configuration file (default: .imageguard.yaml from the chart directory upwards)')
    .option('--imageguard-insecure-registry <host>', INSECURE_REGISTRY_HELP, collect)
    .option('--imageguard-registry-timeout <duration>', 'give up on one registry request after this long (default 30s)', parseDuration)
    .allowUnknownOption()
    .allowExcessArguments();
  command.addHelpText(
    'after',
    `\nOnly --imageguard-* flags (and their short forms --pin and --lock) are imageguard's; everything else goes to helm ${kind}.\n` +
      `Exit codes: helm ${kind}'s own when it ran; 1 refused (findings); 2 usage error; 3 helm failed to render or start;\n` +
      '4 registry failure while pinning.\n' +
      `Examples:\n  imageguard ${kind} web ./chart -f prod.yaml --set image.tag=1.4.2 --wait\n` +
      `  helm imageguard ${kind} web ./chart -f prod.yaml --imageguard-pin\n` +
      `  imageguard ${kind} web ./chart -f prod.yaml --imageguard-lock imageguard.lock.yaml`,
  );
  command.action(async (_args: string[], options: DeployOptions, cmd: Command) => {
    done(await runDeploy(kind, splitUpgradeArgv(commandArgv(cmd), cmd.options, kind), options, io));
  });
  return command;
}

function checkArgv(kind: HelmCommand, argv: UpgradeArgv): { release: string | null; chart: string } {
  const want = kind === 'install' && argv.generateName ? 1 : 2;
  if (argv.positionals.length === want) {
    return want === 1 ? { release: null, chart: argv.positionals[0]! } : { release: argv.positionals[0]!, chart: argv.positionals[1]! };
  }
  const unknown = argv.unknownFlags.length > 0 ? `; if ${argv.unknownFlags.join(', ')} takes a value, write it as --flag=VALUE` : '';
  const got = argv.positionals.length === 0 ? 'none' : argv.positionals.join(' ');
  throw new UsageError(`expected ${want === 1 ? 'CHART' : 'RELEASE CHART'} for helm ${kind}, got ${got}${unknown}`);
}

async function runDeploy(kind: HelmCommand, argv: UpgradeArgv, options: DeployOptions, io: Io): Promise<number> {
  const { release, chart } = checkArgv(kind, argv);
  const pin = options.imageguardPin === true || options.pin === true;
  const lockFile = options.imageguardLock ?? options.lock;
  if (pin && lockFile) throw new UsageError('give --imageguard-pin or --imageguard-lock, not both');
  if ((pin || lockFile) && argv.postRenderer) throw new UsageError('--imageguard-pin/--imageguard-lock use helm\'s --post-renderer: drop your own --post-renderer');
  if (argv.valuesFromStdin) throw new UsageError(`values from stdin (-f -) cannot be read twice (lint, then helm ${kind}): use a file`);
  if (lockFile) readLock(lockFile); // a missing or broken lock is a usage error before anything runs
  if (options.imageguardConfig && !existsSync(options.imageguardConfig)) throw new UsageError(`config file not found: ${options.imageguardConfig} (from --imageguard-config)`);
  const local = inspectChartArgument(chart, { hasRepoFlag: argv.renderArgs.some((arg) => arg.startsWith('--repo')) });
  for (const file of userValues(argv.renderArgs).files) {
    if (!existsSync(file)) throw new UsageError(`values file not found: ${file} (from -f/--values)`);
  }
  const namespace = argv.namespace ?? (io.env.HELM_NAMESPACE || 'default');
  if (argv.reusesValues) io.stderr(`imageguard: note: the lint render cannot see the values helm ${kind} reuses from the release; it checks the values given here\n`);

  const renderRelease = release ?? 'release-name';
  const templateArgs = kind === 'upgrade' ? [...argv.renderArgs, '--is-upgrade'] : argv.renderArgs;
  const docs = await renderChart({ chart, release: renderRelease, namespace, helmArgs: templateArgs });
  const config = configResolver({ config: options.imageguardConfig })(local ? local.dir : io.cwd);
  const judged = lintRenderedChart(
    { chart, local, docs, target: 0, release: renderRelease, namespace, helmArgs: argv.renderArgs, helmVersion: null, latent: false },
    config,
    { flags: {}, today: new Date().toISOString().slice(0, 10) },
  );
  for (const entry of judged.expired) io.stderr(expiredNotice(config, entry));
  const report = buildReport([judged.target], [judged.output]);
  if (report.findings.length > 0) io.stderr(FORMATTERS.text(report, { color: useColor(io, false, true) }));
  if (failsThreshold(report.findings, options.imageguardFailOn)) {
    io.stderr(`imageguard: refusing to run helm ${kind}: the findings above are at or above --imageguard-fail-on ${options.imageguardFailOn}\n`);
    return ExitCode.findings;
  }
  if (!pin && !lockFile) return deploy(kind, argv.helmArgs, io.env, io, null);

  const work = mkdtempSync(join(tmpdir(), 'imageguard-deploy-'));
  try {
    const rendererArgs: string[] = [];
    if (pin) {
      const plan = pinPlanOf(docs, namespace);
      const settings = {
        insecureRegistries: options.imageguardInsecureRegistry ?? [],
        timeoutMs: options.imageguardRegistryTimeout,
        debug: isDebug(argv.helmArgs, io.env),
      };
      const digests = await resolvePlan(plan, settings, io);
      const pinned = join(work, 'pinned.lock.yaml');
      writeLock(pinned, updateLock(null, digests, new Date()));
      io.stderr(`imageguard: resolved ${digests.size} image(s) to digests\n`);
      // --resolve: an image helm's own render has and `helm template`'s had not (lookup, capabilities) is resolved then.
      rendererArgs.push('--lock', pinned, '--resolve');
      for (const host of settings.insecureRegistries) rendererArgs.push('--insecure-registry', host);
      if (settings.timeoutMs) rendererArgs.push('--registry-timeout', `${settings.timeoutMs / 1000}s`);
    } else {
      rendererArgs.push('--lock', resolve(io.cwd, lockFile!));
    }
    const report = join(work, 'postrender-failure.txt');
    rendererArgs.push('--report', report);
    const major = Number(/^v(\d+)\./.exec(await helmVersion())?.[1] ?? '3');
    if (major < 4 && docs.some(isHookWithPods)) {
      io.stderr('imageguard: note: Helm 3 does not pass hooks to post-renderers, so hook images are deployed as tagged\n');
    }
    const wiring = await wirePostRenderer(major, rendererArgs, io.env);
    // Helm 3 prints the post-renderer's stderr itself; Helm 4 drops it, so there the reason comes from the report.
    return await deploy(kind, [...argv.helmArgs, ...wiring.args], wiring.env, io, major >= 4 ? report : null);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function deploy(kind: HelmCommand, args: string[], env: NodeJS.ProcessEnv, io: Io, reportFile: string | null): Promise<number> {
  io.stderr(`imageguard: lint passed; running helm ${kind}\n`);
  const code = await helmDeploy({ command: kind, args, env, onStdout: io.stdout, onStderr: io.stderr });
  const reason = code !== 0 && reportFile && existsSync(reportFile) ? readFileSync(reportFile, 'utf8').trim() : '';
  // Helm 4 shows only `plugin "imageguard-postrender" exited with error`; this is the reason behind it.
  if (reason) io.stderr(`imageguard: the post-renderer failed: ${reason.replace(/^imageguard-postrender: /, '')}\n`);
  return code;
}

function isHookWithPods(doc: { object: unknown }): boolean {
  const object = doc.object as { metadata?: { annotations?: Record<string, unknown> }; spec?: unknown } | null;
  return typeof object?.metadata?.annotations?.['helm.sh/hook'] === 'string' && object.spec !== undefined;
}

// Commander keeps the raw argv of the whole program; the command's own part follows its name.
function commandArgv(cmd: Command): string[] {
  const raw = (cmd.parent as (Command & { rawArgs?: string[] }) | null)?.rawArgs ?? [];
  const at = raw.indexOf(cmd.name());
  return at >= 0 ? raw.slice(at + 1) : raw;
}
