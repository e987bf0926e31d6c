import { Command, Option } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import type { ValidateResult } from '../schema/validate-chart.js';
import type { Violation } from '../schema/violations.js';
import { formatValuesPath } from '../values/types.js';
import { extractHelmArgs, HELM_RENDER_FLAGS } from './helm-flags.js';
import type { Io } from './io.js';
import { collectMutableTag } from './parse-options.js';
import { schemaSettings } from './schema.js';

interface ValidateOptions {
  format: 'text' | 'json';
  withGenerated?: boolean;
  requireDigest?: boolean;
  mutableTag?: string[];
  config?: string;
}

const VALUES_FLAGS = HELM_RENDER_FLAGS.filter(({ flags }) => /--values|--set/.test(flags));

/** `values-prod.yaml:12:8`, `--set image.tag=latest`, or the schema when nothing set the value. */
export function where(violation: Violation): string {
  const origin = violation.origin;
  if (!origin) return violation.schema;
  if (origin.piece !== undefined) return `${origin.file} ${/\s/.test(origin.piece) ? JSON.stringify(origin.piece) : origin.piece}`;
  if (origin.line === undefined) return origin.file;
  return `${origin.file}:${origin.line}${origin.column === undefined ? '' : `:${origin.column}`}`;
}

export function formatText(result: ValidateResult): string {
  return result.violations.map((violation) => `${where(violation)} ${formatValuesPath(violation.path)}: ${violation.message}\n`).join('');
}

export function formatJson(chart: string, result: ValidateResult): string {
  const violations = result.violations.map((violation) => ({
    file: violation.origin?.file ?? null,
    line: violation.origin?.line ?? null,
    column: violation.origin?.column ?? null,
    argument: violation.origin?.piece ?? null,
    path: formatValuesPath(violation.path),
    value: violation.value === undefined ? null : violation.value,
    keyword: violation.keyword,
    message: violation.message,
    schema: violation.schema,
    imageguard: violation.imageguard,
  }));
  return `${JSON.stringify({ schemaVersion: 1, chart, schemas: result.schemas, valid: violations.length === 0, violations }, null, 2)}\n`;
}

// Commander keeps the raw argv of the whole program; the command's own part follows its name.
function argvOf(cmd: Command): string[] {
  const raw = (cmd.parent as (Command & { rawArgs?: string[] }) | null)?.rawArgs ?? [];
  const at = raw.indexOf(cmd.name());
  return at >= 0 ? raw.slice(at + 1) : raw;
}

async function helmMajor(): Promise<3 | 4> {
  // Loaded on use: helm is asked only when helm 3 and 4 would read the flags differently (start-up time).
  const { helmVersion } = await import('../helm/version.js');
  const version = await helmVersion();
  const major = /^v?(\d+)\./.exec(version)?.[1];
  if (major !== '3' && major !== '4') throw new UsageError(`helm ${version} is not helm 3 or 4`);
  return Number(major) as 3 | 4;
}

/** `imageguard validate CHART [-f FILE]... [--set ...]`: values against the chart's schema, without rendering. */
export function validateCommand(io: Io, done: (code: number) => void): Command {
  const command = new Command('validate')
    .summary("check values files and --set flags against the chart's values.schema.json, without rendering")
    .description(
      "Merge CHART's values with the -f files and --set family exactly as helm does, and check them against " +
        'values.schema.json of the chart and of every enabled subchart (ajv). Each violation names the values file, ' +
        'line and path, or the flag, that set the value. A chart without a schema is checked against the image ' +
        'constraints `imageguard schema` would write.',
    )
    .argument('<chart>', 'chart directory or packaged chart (.tgz)');
  const collectValues = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
  for (const { flags, description } of VALUES_FLAGS) command.option(flags, description, collectValues);
  command
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json']).default('text'))
    .option('--with-generated', "also apply imageguard's image constraints, as `imageguard schema --write` would add them")
    .option('--require-digest', 'with the generated constraints: require digests')
    .option('--mutable-tag <tag>', 'with the generated constraints: treat this tag as mutable too; repeatable', collectMutableTag)
    .option('--config <file>', 'configuration file (default: .imageguard.yaml from the chart directory upwards)')
    .option('--debug', 'show stack traces for errors (also HELM_DEBUG=true)');
  command.addHelpText(
    'after',
    '\nExit codes: 0 valid, 1 violations, 2 usage error (bad chart, unreadable values or schema), 3 helm failed\n' +
      '(asked for its version only when helm 3 and 4 would read the flags differently).\n' +
      'Compiled schemas are cached in $IMAGEGUARD_CACHE_DIR, $XDG_CACHE_HOME/imageguard or ~/.cache/imageguard\n' +
      '(IMAGEGUARD_NO_CACHE=1 turns that off; see docs/schema.md).\n' +
      'Examples:\n  imageguard validate ./mychart -f values-prod.yaml\n  imageguard validate ./mychart --set image.tag=1.4.2 --format json',
  );
  command.action(async (chart: string, options: ValidateOptions, cmd: Command) => {
    // Loaded on use: other commands do not pay for ajv and the values model at start-up.
    const { validateChart } = await import('../schema/validate-chart.js');
    const result = await validateChart({
      chart,
      helmArgs: extractHelmArgs(argvOf(cmd), cmd.options),
      cwd: io.cwd,
      readStdin: io.readStdin,
      withGenerated: options.withGenerated === true,
      settings: schemaSettings(chart, options),
      helmMajor,
    });
    for (const note of result.notes) io.stderr(`imageguard: ${note}\n`);
    io.stdout(options.format === 'json' ? formatJson(chart, result) : formatText(result));
    const count = result.violations.length;
    if (options.format === 'text') {
      io.stderr(
        count === 0
          ? `imageguard: values are valid (${result.schemas.join(', ') || 'no schema'})\n`
          : `imageguard: ${count} violation${count === 1 ? '' : 's'} of ${result.schemas.join(', ')}\n`,
      );
    }
    done(count === 0 ? ExitCode.ok : ExitCode.findings);
  });
  return command;
}
