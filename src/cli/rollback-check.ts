import { Command, Option } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import { emitReport } from '../io/output.js';
import { RELEASE_FORMATTERS } from '../release/format.js';
import { RELEASE_FORMATS, rollbackCheckReport, rollbackTimelineReport, type ReleaseFormat, type ReleaseReport } from '../release/report.js';
import { rollbackTimeline } from '../release/timeline.js';
import { checkRollback, failsCheck, ROLLBACK_FAIL_ON, type RollbackFailOn } from '../release/verdict.js';
import { useColor, type Io } from './io.js';
import { addReleaseOptions, formatOption, parseRevision, ReleaseReader, releaseScope, releaseSettings, type ReleaseFlags } from './release-source.js';

interface CheckOptions extends ReleaseFlags {
  format: ReleaseFormat;
  output?: string;
  failOn: RollbackFailOn;
  all?: boolean;
  hooks: boolean;
}

export function failOnOption(): Option {
  return new Option('--fail-on <severity>', 'fail on error verdicts (no-op, mutable-target, invalid-target), or on warnings (tag-only) too')
    .choices(ROLLBACK_FAIL_ON)
    .default('error');
}

export interface CheckResult {
  report: ReleaseReport;
  fails: boolean;
}

/** The check shared by rollback-check and rollback: current revision against the target (default: the previous). */
export async function runRollbackCheck(
  reader: ReleaseReader,
  revision: number | undefined,
  options: { failOn: RollbackFailOn; hooksRun: boolean },
): Promise<CheckResult & { target: number }> {
  const current = reader.current.revision;
  const target = revision ?? reader.previous('to roll back to');
  const [now, then] = await reader.revisions([current, target]);
  const containers = checkRollback(now!, then!, { hooksRun: options.hooksRun });
  const report = rollbackCheckReport(reader.release, now!.info, then!.info, containers, options.hooksRun);
  return { report, fails: failsCheck(report.summary, options.failOn), target };
}

/** `--all`: every revision; fails when no earlier revision passes the check (there is no safe rollback). */
async function runTimeline(reader: ReleaseReader, options: { failOn: RollbackFailOn; hooksRun: boolean }): Promise<CheckResult> {
  const revisions = await reader.revisions(reader.history.map((entry) => entry.revision));
  const current = revisions.find((revision) => revision.info.revision === reader.current.revision)!;
  const entries = rollbackTimeline(current, revisions, { hooksRun: options.hooksRun });
  const report = rollbackTimelineReport(reader.release, current.info, entries, options.hooksRun);
  const earlier = entries.filter((entry) => !entry.current);
  const fails = earlier.length > 0 && earlier.every((entry) => failsCheck(entry.summary!, options.failOn));
  return { report, fails };
}

/** `imageguard rollback-check RELEASE [REVISION]`: would rolling back restore the images of REVISION? */
export function rollbackCheckCommand(io: Io, done: (code: number) => void): Command {
  const command = new Command('rollback-check')
    .summary('would rolling back restore the images of a revision?')
    .description(
      'Compare the current revision of RELEASE with REVISION (default: the previous one, as helm rollback) and give ' +
        'a verdict per container: restored (pinned by digest), tag-only (version tag, may have been re-pushed: ' +
        'warning), no-op (the same moving tag in both: the rollback changes nothing: error), mutable-target (a moving ' +
        'tag: you get whatever it points to now: error), invalid-target (error), removed (the rollback deletes it). ' +
        'Hooks count only when helm rollback runs them (pre-rollback, post-rollback).',
    )
    .argument('<release>', 'release name')
    .argument('[revision]', 'revision to roll back to (default: the one before the current)', parseRevision)
    .option('--all', 'a timeline: whether rolling back to each revision of the history restores its images')
    .addOption(failOnOption())
    .option('--no-hooks', 'check for a rollback with --no-hooks (no hook runs)')
    .addOption(formatOption(RELEASE_FORMATS))
    .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout');
  addReleaseOptions(command);
  command.addHelpText(
    'after',
    '\nExit codes: 0 safe (or only warnings), 1 an error verdict (or a warning with --fail-on warning; with --all:\n' +
      'no earlier revision passes), 2 usage error, 3 helm failed (release or revision not found).\n' +
      'Examples:\n  imageguard rollback-check web          # current -> previous\n' +
      '  imageguard rollback-check web 4 -n prod --fail-on warning\n' +
      '  helm imageguard rollback-check web --all',
  );
  command.action(async (release: string, revision: number | undefined, options: CheckOptions) => {
    if (options.all && revision !== undefined) throw new UsageError('give either REVISION or --all (which checks every revision), not both');
    const reader = await ReleaseReader.open(releaseScope(release, options, io), releaseSettings(options, io));
    const settings = { failOn: options.failOn, hooksRun: options.hooks };
    const result = options.all ? await runTimeline(reader, settings) : await runRollbackCheck(reader, revision, settings);
    const toStdout = !options.output || options.output === '-';
    emitReport(RELEASE_FORMATTERS[options.format](result.report, { color: useColor(io, toStdout, options.color) }), options.output, io);
    done(result.fails ? ExitCode.findings : ExitCode.ok);
  });
  return command;
}
