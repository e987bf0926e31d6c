import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { OUTPUT_FORMATS, type OutputFormat } from '../report/types.js';
import type { FailOn } from '../lint/engine.js';
import { findCharts } from '../source/discover.js';
import { isDebug } from './format-error.js';
import { addHelmRenderOptions, extractHelmArgs } from './helm-flags.js';
import type { Io } from './io.js';
import { runLint } from './lint-pipeline.js';
import { collect, collectMutableTag, parseDuration, parsePositiveInt } from './parse-options.js';

interface LintOptions {
  release: string;
  namespace?: string;
  manifest?: string;
  format: OutputFormat;
  output?: string;
  failOn: FailOn;
  requireDigest?: boolean;
  mutableTag?: string[];
  timeout?: number;
  color: boolean;
  debug?: boolean;
  latent: boolean;
  config?: string;
  recursive?: string[];
  jobs?: number;
}

export function lintCommand(io: Io, done: (code: number) => void): Command {
  const command = new Command('lint')
    .summary('render charts and report mutable image references')
    .description(
      'Render each CHART with `helm template` (a directory, a packaged .tgz, repo/name or oci://...), find every ' +
        'container image, classify its reference and report latest, untagged, channel and partial-version tags, ' +
        'pointing at the template and the values line that produced each image.',
    )
    .argument('[charts...]', 'charts to render')
    .option('-r, --recursive <dir>', 'lint every chart below DIR (skipping subcharts under charts/); repeatable', collect)
    .option('--release <name>', 'release name used for rendering', 'release-name')
    .option('-n, --namespace <namespace>', 'namespace used for rendering (default: $HELM_NAMESPACE, else default)')
    .option('--manifest <file>', 'lint already-rendered YAML from FILE, or - for stdin, instead of rendering')
    .addOption(new Option('--format <format>', 'report format').choices(OUTPUT_FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
        .choices(['error', 'warning', 'info', 'never'])
        .default('error'),
    )
    .option('--config <file>', 'configuration file (default: .imageguard.yaml from the chart directory upwards)')
    .option('--require-digest', 'also require every image to be pinned by digest (rule require-digest)')
    .option('--mutable-tag <name>', 'treat this tag as mutable too (glob with *); repeatable', collectMutableTag)
    .option('--no-latent', 'do not report image fields in values that this render does not use')
    .option('-j, --jobs <n>', 'render this many charts at once (default: number of CPUs)', parsePositiveInt)
    .option('--timeout <duration>', 'give up on helm after this long (e.g. 90s, 5m)', parseDuration)
    .option('--no-color', 'no colour in text output (also NO_COLOR)')
    .option('--debug', 'show stack traces for errors (also HELM_DEBUG=true)');
  addHelmRenderOptions(command);
  command.addHelpText(
    'after',
    '\nExit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or config error, 3 helm failed.\n' +
      'Examples:\n  imageguard lint ./mychart -f prod.yaml --set image.tag=1.4.2\n' +
      '  imageguard lint --recursive charts/ --format sarif -o imageguard.sarif\n' +
      '  helm template x ./mychart | imageguard lint --manifest -',
  );
  command.action(async (charts: string[], options: LintOptions, cmd: Command) => {
    const discovered = (options.recursive ?? []).flatMap((dir) => findCharts(dir));
    const code = await runLint(
      {
        charts: [...charts, ...discovered],
        helmArgs: extractHelmArgs(argvOf(cmd), cmd.options),
        release: options.release,
        namespace: options.namespace,
        manifest: options.manifest,
        format: options.format,
        output: options.output,
        failOn: options.failOn,
        requireDigest: options.requireDigest,
        mutableTags: options.mutableTag ?? [],
        timeoutMs: options.timeout,
        color: options.color,
        debug: options.debug === true || isDebug([], io.env),
        latent: options.latent,
        config: options.config,
        jobs: options.jobs ?? availableParallelism(),
      },
      io,
    );
    done(code);
  });
  return command;
}

// Commander keeps the raw argv of the whole program; the command's own part follows its name.
function argvOf(cmd: Command): string[] {
  const raw = (cmd.parent as (Command & { rawArgs?: string[] }) | null)?.rawArgs ?? [];
  const at = raw.indexOf(cmd.name());
  return at >= 0 ? raw.slice(at + 1) : raw;
}
