/** The lint pipeline's I/O edge: config, rendering, values; the pure engine does the judging. */
import { existsSync } from 'node:fs';
import { findConfigFile, loadConfigFile, settingsFromConfig, type SettingsFlags } from '../config/load.js';
import { applyIgnores } from '../config/ignore.js';
import { defaultConfig, type IgnoreEntry, type ImageguardConfig } from '../config/types.js';
import { ExitCode, UsageError } from '../errors.js';
import { helmVersion } from '../helm/version.js';
import { isImageReference } from '../image/reference.js';
import { failsThreshold, lint, summarize, type FailOn, type LintOutput } from '../lint/engine.js';
import { extractImages } from '../manifest/extract.js';
import type { ManifestDocument } from '../manifest/types.js';
import { FORMATTERS } from '../report/index.js';
import { REPORT_SCHEMA_VERSION, type OutputFormat, type Report, type Target } from '../report/types.js';
import { inspectChartArgument, type LocalChart } from '../source/chart.js';
import { readManifest, renderChart } from '../source/render.js';
import { loadChartValues, loadUserValuesFiles, userValues, type ChartValues } from '../values/chart-values.js';
import { ValuesProvenance } from '../values/provenance.js';
import { VERSION } from '../version.js';
import { mapLimited } from './concurrency.js';
import { formatError } from './format-error.js';
import { useColor, type Io } from './io.js';
import { emitReport } from '../io/output.js';
import { withoutPassword } from '../io/redact.js';

export interface LintRequest {
  charts: string[];
  helmArgs: string[];
  release: string;
  namespace?: string;
  manifest?: string;
  format: OutputFormat;
  output?: string;
  failOn: FailOn;
  requireDigest?: boolean;
  mutableTags: string[];
  timeoutMs?: number;
  color: boolean;
  debug: boolean;
  latent: boolean;
  config?: string;
  jobs: number;
}

/** Config per target: --config for all, else .imageguard.yaml found from the chart (or cwd) upwards. */
export function configResolver(request: Pick<LintRequest, 'config'>): (startDir: string) => ImageguardConfig {
  const explicit = request.config ? loadConfigFile(request.config) : null;
  const cache = new Map<string, ImageguardConfig>();
  return (startDir) => {
    if (explicit) return explicit;
    const file = findConfigFile(startDir);
    if (!file) return defaultConfig();
    if (!cache.has(file)) cache.set(file, loadConfigFile(file));
    return cache.get(file)!;
  };
}

export function expiredNotice(config: ImageguardConfig, entry: IgnoreEntry): string {
  const where = `${config.file ?? 'config'}${entry.line ? `:${entry.line}` : ''}`;
  return `imageguard: warning: ${where}: ignore entry expired on ${entry.expires} and no longer applies (reason was: ${entry.reason})\n`;
}

type Rendered = { docs: ManifestDocument[] } | { error: unknown };

export interface JudgeSettings {
  flags: SettingsFlags;
  /** YYYY-MM-DD: config ignore entries that expired before it stop applying. */
  today: string;
}

/** Rules, then config ignores, for one target's image uses. Pure: expired ignore entries are returned, not printed. */
export function judgeUses(
  input: Parameters<typeof lint>[0],
  config: ImageguardConfig,
  settings: JudgeSettings,
): { output: LintOutput; expired: IgnoreEntry[] } {
  const output = lint(input, settingsFromConfig(config, settings.flags));
  const ignored = applyIgnores(output.findings, config.ignore, settings.today);
  return {
    output: { images: output.images, findings: ignored.findings, suppressed: [...output.suppressed, ...ignored.suppressed] },
    expired: ignored.expired,
  };
}

export interface RenderedChart {
  chart: string;
  /** Chart.yaml facts of a local chart directory or packaged .tgz; null for remote charts. */
  local: LocalChart | null;
  docs: ManifestDocument[];
  /** Index of this target in the report. */
  target: number;
  release: string;
  namespace: string | null;
  /** The rendering flags the chart was rendered with (for values provenance). */
  helmArgs: readonly string[];
  helmVersion: string | null;
  latent: boolean;
  /** The chart's values, when already read (else read from `local` and `helmArgs`). */
  values?: ChartValues | null;
}

/** Lints one rendered chart: images, values provenance, rules and ignores. Shared by `lint` and `upgrade`. */
export function lintRenderedChart(
  rendered: RenderedChart,
  config: ImageguardConfig,
  settings: JudgeSettings,
): { target: Target; output: LintOutput; expired: IgnoreEntry[] } {
  const { chart, local, namespace } = rendered;
  const target: Target = { chart: withoutPassword(chart), manifest: null, release: rendered.release, namespace, helmVersion: rendered.helmVersion };
  const values = local ? valuesProvenance(rendered.values ?? loadChartValues(local, rendered.helmArgs)) : null;
  const uses = extractImages(rendered.docs, { defaultNamespace: namespace, isImageReference });
  const judged = judgeUses({ target: rendered.target, uses, chart: local, values, latent: rendered.latent }, config, settings);
  return { target, ...judged };
}

/** The versioned report of several targets. */
export function buildReport(targets: Target[], outputs: readonly LintOutput[]): Report {
  const findings = outputs.flatMap((output) => output.findings);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'imageguard', version: VERSION },
    targets,
    images: outputs.flatMap((output) => output.images),
    findings,
    suppressed: outputs.flatMap((output) => output.suppressed),
    summary: summarize(findings),
  };
}

export async function runLint(request: LintRequest, io: Io): Promise<number> {
  const { charts, helmArgs } = request;
  if (charts.length === 0 && !request.manifest) throw new UsageError('nothing to lint: give a CHART, --recursive DIR or --manifest FILE');
  if (charts.length > 0 && request.manifest) throw new UsageError('give either CHART arguments or --manifest, not both');
  if (request.config && !existsSync(request.config)) throw new UsageError(`config file not found: ${request.config} (from --config)`);
  // helm template renders into "default" when neither -n nor HELM_NAMESPACE says otherwise; a --manifest has no
  // render namespace, so its resources without metadata.namespace stay unknown (null).
  const namespace = request.namespace ?? (io.env.HELM_NAMESPACE || (request.manifest ? null : 'default'));
  const configFor = configResolver(request);
  const settings: JudgeSettings = {
    flags: { requireDigest: request.requireDigest, mutableTags: request.mutableTags },
    today: new Date().toISOString().slice(0, 10),
  };
  const extract = { defaultNamespace: namespace, isImageReference };
  const targets: Target[] = [];
  const outputs: LintOutput[] = [];
  const expired = new Set<string>();
  const notify = (config: ImageguardConfig, entries: readonly IgnoreEntry[]): void => {
    for (const entry of entries) {
      const notice = expiredNotice(config, entry);
      if (!expired.has(notice)) io.stderr(notice);
      expired.add(notice);
    }
  };
  const judge = (input: Parameters<typeof lint>[0], config: ImageguardConfig): void => {
    const judged = judgeUses(input, config, settings);
    notify(config, judged.expired);
    outputs.push(judged.output);
  };
  let renderFailed = false;

  if (request.manifest) {
    const config = configFor(io.cwd);
    const docs = readManifest(request.manifest, io.readStdin);
    targets.push({ chart: null, manifest: request.manifest, release: null, namespace, helmVersion: null });
    judge({ target: 0, uses: extractImages(docs, extract), chart: null }, config);
  } else {
    // Check every argument and config before rendering anything, so a typo fails fast with exit 2.
    const hasRepoFlag = helmArgs.some((arg) => arg.startsWith('--repo'));
    const locals = charts.map((chart) => inspectChartArgument(chart, { hasRepoFlag }));
    const configs = locals.map((local) => configFor(local ? local.dir : io.cwd));
    for (const file of userValues(helmArgs).files) {
      if (file !== '-' && !existsSync(file)) throw new UsageError(`values file not found: ${file} (from -f/--values)`);
    }
    // Read now, once for all charts: a broken file is a usage error at its file:line, where helm says only "line N".
    const userFiles = loadUserValuesFiles(helmArgs);
    // Only machine formats carry the helm version: the text report never shows it, so skip the extra helm process.
    const version = request.format === 'json' || request.format === 'sarif' ? helmVersion().catch(() => null) : Promise.resolve(null);
    const progress = progressLine(io, charts.length);
    const chartValues: (ChartValues | null)[] = [];
    let valuesError: unknown = null;
    const rendered = await mapLimited(charts, request.jobs, async (chart, index): Promise<Rendered> => {
      const render = { chart, release: request.release, namespace, helmArgs, timeoutMs: request.timeoutMs };
      // renderChart starts helm synchronously; the values (the costliest thing we parse) are read while it renders.
      const pending = renderChart(render);
      pending.catch(() => undefined);
      try {
        const local = locals[index];
        chartValues[index] = local ? loadChartValues(local, helmArgs, userFiles) : null;
      } catch (error) {
        valuesError ??= error;
      }
      try {
        return { docs: await pending };
      } catch (error) {
        return { error };
      } finally {
        progress.tick(chart);
      }
    });
    // A broken values file is a usage error at its file:line (exit 2), whatever helm made of it.
    if (valuesError) {
      progress.done();
      throw valuesError;
    }
    progress.done();
    const helmVersionText = await version;
    const only = rendered[0];
    // One chart that failed to render: the error is the whole answer (exit 3), no empty report.
    if (rendered.length === 1 && only && 'error' in only) throw only.error;
    rendered.forEach((result, index) => {
      if ('error' in result) {
        renderFailed = true;
        io.stderr(formatError(result.error, request.debug));
        return;
      }
      const config = configs[index]!;
      const judged = lintRenderedChart(
        {
          chart: charts[index]!,
          local: locals[index] ?? null,
          docs: result.docs,
          target: targets.length,
          release: request.release,
          namespace,
          helmArgs,
          helmVersion: helmVersionText,
          latent: request.latent,
          values: chartValues[index] ?? null,
        },
        config,
        settings,
      );
      targets.push(judged.target);
      notify(config, judged.expired);
      outputs.push(judged.output);
    });
  }

  const report = buildReport(targets, outputs);
  const findings = report.findings;
  const toStdout = !request.output || request.output === '-';
  const text = FORMATTERS[request.format](report, { color: useColor(io, toStdout, request.color) });
  emitReport(text, request.output, io);
  if (renderFailed) return ExitCode.helm;
  return failsThreshold(findings, request.failOn) ? ExitCode.findings : ExitCode.ok;
}

function valuesProvenance({ effective, scopes }: ChartValues): ValuesProvenance {
  return new ValuesProvenance(effective, scopes, isImageReference);
}

/** `[3/12] rendered charts/web` on a terminal's stderr only; nothing in CI logs or pipes. */
function progressLine(io: Io, total: number): { tick(chart: string): void; done(): void } {
  if (!io.stderrIsTTY || total < 2) return { tick: () => undefined, done: () => undefined };
  let count = 0;
  return {
    tick(chart) {
      count += 1;
      io.stderr(`\r\u001b[2K[${count}/${total}] rendered ${withoutPassword(chart)}`);
    },
    done() {
      io.stderr('\r\u001b[2K');
    },
  };
}
