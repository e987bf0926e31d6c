import { Command, Option } from 'commander';
import { relative } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { findConfigFile, loadConfigFile, settingsFromConfig } from '../config/load.js';
import { defaultConfig } from '../config/types.js';
import { ExitCode } from '../errors.js';
import { writeFilesAtomic } from '../io/output.js';
import type { ChartSchemaPlan, PendingWrite } from '../schema/chart-schema.js';
import type { Warning } from '../schema/generate.js';
import type { HelmChart } from '../values/helm-chart.js';
import { formatValuesPath } from '../values/types.js';
import type { Io } from './io.js';
import { collectMutableTag } from './parse-options.js';

interface SchemaCommandOptions {
  write?: boolean;
  check?: boolean;
  format: 'json' | 'yaml';
  recursive?: boolean;
  requireDigest?: boolean;
  mutableTag?: string[];
  config?: string;
  fixNumericTags?: boolean;
}

export function formatWarning(warning: Warning): string {
  const { file, line, column, path } = warning.origin;
  const where = line === undefined ? file : `${file}:${line}${column === undefined ? '' : `:${column}`}`;
  return `${where}: ${path ? `${path}: ` : ''}${warning.message}`;
}

/** The mutable tags and digest requirement from .imageguard.yaml (found from the chart upwards) and the flags. */
export function schemaSettings(chartDir: string, flags: { config?: string; requireDigest?: boolean; mutableTag?: string[] }) {
  const file = flags.config ?? findConfigFile(chartDir);
  const config = file ? loadConfigFile(file) : defaultConfig();
  const settings = settingsFromConfig(config, { requireDigest: flags.requireDigest, mutableTags: flags.mutableTag });
  return { mutableTags: settings.mutableTags, requireDigest: settings.severities['require-digest'] === 'error' };
}

// Loaded on use: other commands do not pay for the schema modules at start-up.
async function modules() {
  const [chartSchema, diff, paths, helmChart] = await Promise.all([
    import('../schema/chart-schema.js'),
    import('../schema/diff.js'),
    import('../schema/paths.js'),
    import('../values/helm-chart.js'),
  ]);
  return { ...chartSchema, ...diff, ...paths, ...helmChart };
}
type Modules = Awaited<ReturnType<typeof modules>>;

function notes(io: Io, root: HelmChart, recursive: boolean, imageFieldCount: Modules['imageFieldCount']): void {
  for (const sub of packagedSubcharts(root)) {
    if (imageFieldCount(sub) > 0) io.stderr(`imageguard: ${sub.dir} has image fields of its own; schema does not write into a packaged subchart (unpack it under charts/ to cover them)\n`);
  }
  if (recursive) return;
  for (const sub of root.subcharts) {
    if (sub.archive === null && imageFieldCount(sub) > 0) io.stderr(`imageguard: ${sub.dir} has image fields of its own; --recursive also writes its schema\n`);
  }
}

/** The packaged subcharts directly under a chart directory or its unpacked subcharts. */
function packagedSubcharts(chart: HelmChart): HelmChart[] {
  return chart.subcharts.flatMap((sub) => (sub.archive === null ? packagedSubcharts(sub) : [sub]));
}

function printFragments(io: Io, root: string, plans: readonly ChartSchemaPlan[], format: 'json' | 'yaml', recursive: boolean): void {
  const value = recursive
    ? Object.fromEntries(plans.map((plan) => [relative(root, plan.dir) || '.', plan.fragment ?? {}]))
    : (plans[0]?.fragment ?? {});
  io.stdout(format === 'yaml' ? toYaml(value, { lineWidth: 0 }) : `${JSON.stringify(value, null, 2)}\n`);
}

function reportSelfCheck(io: Io, plans: readonly ChartSchemaPlan[]): boolean {
  let failed = false;
  for (const plan of plans) {
    for (const violation of plan.selfCheck) {
      failed = true;
      const origin = violation.origin;
      const where = origin?.line === undefined ? (origin?.file ?? plan.valuesFile) : `${origin.file}:${origin.line}:${origin.column ?? 1}`;
      io.stderr(`${where}: ${formatValuesPath(violation.path)}: ${violation.message} (the chart's own defaults would fail ${plan.schemaFile})\n`);
    }
    if (plan.warnings.some((warning) => warning.fatal)) failed = true;
  }
  return failed;
}

async function runSchema(chart: string, options: SchemaCommandOptions, io: Io): Promise<number> {
  const { checkChartDir, checkDefaults, imageFieldCount, isDue, loadHelmChart, pendingWrites, planChartSchema, realChartDir, subchartDirs, unifiedDiff } =
    await modules();
  checkChartDir(chart, 'schema');
  const root = loadHelmChart(chart);
  const settings = { ...schemaSettings(chart, options), fixNumericTags: options.fixNumericTags === true && (options.write === true || options.check === true) };
  const dirs = [chart, ...(options.recursive ? subchartDirs(root) : [])];
  notes(io, root, options.recursive === true, imageFieldCount);
  if (options.fixNumericTags && !settings.fixNumericTags) io.stderr('imageguard: --fix-numeric-tags changes values.yaml only with --write (or shows it with --check)\n');
  const plans = dirs.map((dir) => planChartSchema(dir, settings));
  for (const plan of plans) for (const warning of plan.warnings) io.stderr(`${formatWarning(warning)}\n`);
  checkDefaults(chart, plans);
  const unsafe = reportSelfCheck(io, plans);

  if (options.check) {
    let stale = false;
    for (const plan of plans) {
      const schemaDiff = unifiedDiff(plan.existing ?? '', plan.next ?? '', plan.schemaFile);
      const valuesDiff = plan.valuesChange ? unifiedDiff(plan.valuesChange.before, plan.valuesChange.after, plan.valuesFile) : '';
      if (schemaDiff === '' && valuesDiff === '') continue;
      stale = true;
      io.stdout(valuesDiff + schemaDiff);
      io.stderr(`imageguard: ${plan.schemaFile} is out of date: run imageguard schema --write${options.recursive ? ' --recursive' : ''} ${chart}\n`);
    }
    if (!stale && !unsafe) io.stderr(`imageguard: ${plans.map((plan) => plan.schemaFile).join(', ')} up to date\n`);
    return stale || unsafe ? ExitCode.findings : ExitCode.ok;
  }
  if (options.write) {
    if (unsafe) {
      io.stderr('imageguard: nothing written\n');
      return ExitCode.findings;
    }
    const rootReal = realChartDir(chart);
    // Every target is checked before the first write.
    const writes: PendingWrite[] = plans.flatMap((plan) => pendingWrites(plan, rootReal)).filter(isDue);
    // All or nothing: a target that cannot be written puts the ones before it back.
    writeFilesAtomic(writes.map((write) => ({ path: write.target, content: write.after, before: write.before })));
    for (const write of writes) io.stderr(`imageguard: wrote ${write.display}\n`);
    if (writes.length === 0) io.stderr(`imageguard: ${plans.map((plan) => plan.schemaFile).join(', ')} already up to date\n`);
    return ExitCode.ok;
  }
  printFragments(io, chart, plans, options.format, options.recursive === true);
  if (plans.every((plan) => plan.fragment === null)) io.stderr(`imageguard: no image fields found in ${plans[0]?.valuesFile ?? chart}\n`);
  return unsafe ? ExitCode.findings : ExitCode.ok;
}

/** `imageguard schema CHART`: imageguard's image constraints for the chart's values.schema.json. */
export function schemaCommand(io: Io, done: (code: number) => void): Command {
  const command = new Command('schema')
    .summary("make helm itself refuse mutable image tags through the chart's values.schema.json")
    .description(
      "Generate constraints for every image field in CHART's values.yaml (tags must be immutable, digests well formed) " +
        'and merge them into values.schema.json, keeping everything the author wrote. helm then enforces them on ' +
        "template, install, upgrade and lint, with or without imageguard. Prints imageguard's part by default.",
    )
    .argument('<chart>', 'chart directory')
    .addOption(new Option('--write', 'merge into CHART/values.schema.json (atomically)').conflicts('check'))
    .option('--check', 'exit 1 with a diff when values.schema.json is out of date (for CI and pre-commit)')
    .addOption(new Option('--format <format>', 'format of the printed part').choices(['json', 'yaml']).default('json'))
    .option('-r, --recursive', "also cover each unpacked subchart under charts/ with its own schema")
    .option('--require-digest', 'require every image to be pinned by digest')
    .option('--mutable-tag <tag>', 'treat this tag as mutable too (glob with *); repeatable', collectMutableTag)
    .option('--config <file>', 'configuration file (default: .imageguard.yaml from the chart directory upwards)')
    .option('--fix-numeric-tags', 'with --write (or --check): quote unquoted numeric tags in values.yaml (tag: 1.10 -> tag: "1.10")')
    .option('--debug', 'show stack traces for errors (also HELM_DEBUG=true)');
  command.addHelpText(
    'after',
    '\nExit codes: 0 done (or up to date), 1 out of date (--check) or the chart\'s defaults would fail, 2 usage error.\n' +
      'Examples:\n  imageguard schema ./mychart --write\n  imageguard schema ./mychart --check      # in CI\n' +
      '  helm imageguard schema ./mychart --format yaml',
  );
  command.action(async (chart: string, options: SchemaCommandOptions) => {
    done(await runSchema(chart, options, io));
  });
  return command;
}
