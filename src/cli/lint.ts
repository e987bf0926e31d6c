import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { ExitCode, UsageError } from '../errors.js';
import { helmVersion } from '../helm/version.js';
import { parseNormalizedNamed } from '../image/reference.js';
import { DEFAULT_MUTABLE_TAGS } from '../image/classify.js';
import { failsThreshold, lint, summarize, type FailOn, type LintSettings } from '../lint/engine.js';
import { extractImages } from '../manifest/extract.js';
import type { ManifestDocument } from '../manifest/types.js';
import { FORMATTERS } from '../report/index.js';
import { OUTPUT_FORMATS, REPORT_SCHEMA_VERSION, type OutputFormat, type Report, type Target } from '../report/types.js';
import { inspectChartArgument, type LocalChart } from '../source/chart.js';
import { readManifest, renderChart } from '../source/render.js';
import { loadChartValues, userValues } from '../values/chart-values.js';
import { ValuesProvenance } from '../values/provenance.js';
import { VERSION } from '../version.js';
import { formatError, isDebug } from './format-error.js';
import { addHelmRenderOptions, extractHelmArgs } from './helm-flags.js';
import { useColor, type Io } from './io.js';
import { emitReport } from './output.js';
import { collect, parseDuration } from './parse-options.js';

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
}

const RENDER_CONCURRENCY = 2;

function isImageReference(value: string): boolean {
  try {
    parseNormalizedNamed(value);
    return true;
  } catch {
    return false;
  }
}

/** Runs fn over items with at most `limit` at once; results keep the input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function valuesProvenance(chart: LocalChart, helmArgs: readonly string[]): ValuesProvenance {
  const { effective, scopes } = loadChartValues(chart, helmArgs);
  return new ValuesProvenance(effective, scopes, isImageReference);
}

type Rendered = { docs: ManifestDocument[]; chart: LocalChart | null } | { error: unknown };

export function lintCommand(io: Io, done: (code: number) => void): Command {
  const command = new Command('lint')
    .summary('render charts and report mutable image references')
    .description(
      'Render each CHART with `helm template` (a directory, a packaged .tgz, repo/name or oci://...), find every\n' +
        'container image, classify its reference and report latest, untagged, channel and partial-version tags.',
    )
    .argument('[charts...]', 'charts to render')
    .option('--release <name>', 'release name used for rendering', 'release-name')
    .option('-n, --namespace <namespace>', 'namespace used for rendering (default: $HELM_NAMESPACE)')
    .option('--manifest <file>', 'lint already-rendered YAML from FILE, or - for stdin, instead of rendering')
    .addOption(new Option('--format <format>', 'report format').choices(OUTPUT_FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
        .choices(['error', 'warning', 'info', 'never'])
        .default('error'),
    )
    .option('--require-digest', 'also require every image to be pinned by digest (rule require-digest)')
    .option('--mutable-tag <name>', 'treat this tag as mutable too (glob with *); repeatable', collect)
    .option('--timeout <duration>', 'give up on helm after this long (e.g. 90s, 5m)', parseDuration)
    .option('--no-latent', 'do not report image fields in values that this render does not use')
    .option('--no-color', 'no colour in text output (also NO_COLOR)')
    .option('--debug', 'show stack traces for errors (also HELM_DEBUG=true)');
  addHelmRenderOptions(command);
  command.addHelpText(
    'after',
    '\nExit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error, 3 helm failed.\n' +
      'Examples:\n  imageguard lint ./mychart -f prod.yaml --set image.tag=1.4.2\n' +
      '  helm template x ./mychart | imageguard lint --manifest -',
  );
  command.action(async (charts: string[], options: LintOptions, cmd: Command) => {
    const helmArgs = extractHelmArgs(cmd.parent ? argvOf(cmd) : [], cmd.options);
    done(await runLint(charts, options, helmArgs, io));
  });
  return command;
}

// Commander keeps the raw argv of the whole program; the command's own part follows its name.
function argvOf(cmd: Command): string[] {
  const raw = (cmd.parent as Command & { rawArgs?: string[] }).rawArgs ?? [];
  const at = raw.indexOf(cmd.name());
  return at >= 0 ? raw.slice(at + 1) : raw;
}

async function runLint(charts: string[], options: LintOptions, helmArgs: string[], io: Io): Promise<number> {
  if (charts.length === 0 && !options.manifest) throw new UsageError('nothing to lint: give a CHART or --manifest FILE');
  if (charts.length > 0 && options.manifest) throw new UsageError('give either CHART arguments or --manifest, not both');
  // helm template renders into "default" when neither -n nor HELM_NAMESPACE says otherwise; a --manifest has no
  // render namespace, so its resources without metadata.namespace stay unknown (null).
  const namespace = options.namespace ?? (io.env.HELM_NAMESPACE || (options.manifest ? null : 'default'));
  const settings: LintSettings = {
    mutableTags: [...DEFAULT_MUTABLE_TAGS, ...(options.mutableTag ?? [])],
    severities: options.requireDigest ? { 'require-digest': 'error' } : {},
  };
  const extract = { defaultNamespace: namespace, isImageReference };
  const targets: Target[] = [];
  const outputs: ReturnType<typeof lint>[] = [];
  let renderFailed = false;

  if (options.manifest) {
    const docs = readManifest(options.manifest, io.readStdin);
    targets.push({ chart: null, manifest: options.manifest, release: null, namespace, helmVersion: null });
    outputs.push(lint({ target: 0, uses: extractImages(docs, extract), chart: null }, settings));
  } else {
    // Check every chart argument before rendering any, so a typo fails fast with exit 2.
    const hasRepoFlag = helmArgs.some((arg) => arg.startsWith('--repo'));
    const locals = charts.map((chart) => inspectChartArgument(chart, { hasRepoFlag }));
    for (const file of userValues(helmArgs).files) {
      if (file !== '-' && !existsSync(file)) throw new UsageError(`values file not found: ${file} (from -f/--values)`);
    }
    const version = helmVersion().catch(() => null);
    const rendered = await mapLimited(charts, RENDER_CONCURRENCY, async (chart): Promise<Rendered> => {
      try {
        const request = { chart, release: options.release, namespace, helmArgs, timeoutMs: options.timeout };
        return { docs: await renderChart(request), chart: null };
      } catch (error) {
        return { error };
      }
    });
    const helmVersionText = await version;
    const only = rendered[0];
    // One chart that failed to render: the error is the whole answer (exit 3), no empty report.
    if (rendered.length === 1 && only && 'error' in only) throw only.error;
    rendered.forEach((result, index) => {
      if ('error' in result) {
        renderFailed = true;
        io.stderr(formatError(result.error, options.debug === true || isDebug([], io.env)));
        return;
      }
      const target = targets.length;
      const local = locals[index] ?? null;
      targets.push({ chart: charts[index]!, manifest: null, release: options.release, namespace, helmVersion: helmVersionText });
      const values = local ? valuesProvenance(local, helmArgs) : null;
      const uses = extractImages(result.docs, extract);
      outputs.push(lint({ target, uses, chart: local, values, latent: options.latent }, settings));
    });
  }

  const findings = outputs.flatMap((output) => output.findings);
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'imageguard', version: VERSION },
    targets,
    images: outputs.flatMap((output) => output.images),
    findings,
    suppressed: outputs.flatMap((output) => output.suppressed),
    summary: summarize(findings),
  };
  const toStdout = !options.output || options.output === '-';
  const text = FORMATTERS[options.format](report, { color: useColor(io, toStdout, options.color) });
  emitReport(text, options.output, io);
  if (renderFailed) return ExitCode.helm;
  return failsThreshold(findings, options.failOn) ? ExitCode.findings : ExitCode.ok;
}
