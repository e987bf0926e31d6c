import { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { emitReport } from '../io/output.js';
import { diffRevisions, hasChanges } from '../release/diff.js';
import { RELEASE_FORMATTERS } from '../release/format.js';
import { diffReport, RELEASE_FORMATS, type ReleaseFormat } from '../release/report.js';
import { useColor, type Io } from './io.js';
import { addReleaseOptions, formatOption, parseRevision, ReleaseReader, releaseScope, releaseSettings, type ReleaseFlags } from './release-source.js';

interface DiffOptions extends ReleaseFlags {
  format: ReleaseFormat;
  output?: string;
  exitCode?: boolean;
}

/** `imageguard diff RELEASE [REV_A] [REV_B]`: container images of two revisions, manifests and hooks. */
export function diffCommand(io: Io, done: (code: number) => void): Command {
  const command = new Command('diff')
    .summary('compare the images of two revisions of a release')
    .description(
      'Compare every container image of two revisions of RELEASE (manifest and hooks), read with helm history and ' +
        'helm get manifest/hooks. Default: the previous revision against the current one; REV_A alone is compared ' +
        'with the current one. Containers pair by apiVersion group, kind, namespace and name, container name and type.',
    )
    .argument('<release>', 'release name')
    .argument('[rev_a]', 'older revision (default: the one before the current)', parseRevision)
    .argument('[rev_b]', 'newer revision (default: the current)', parseRevision)
    .addOption(formatOption(RELEASE_FORMATS))
    .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout')
    .option('--exit-code', 'exit 1 when an image was added, removed or changed');
  addReleaseOptions(command);
  command.addHelpText(
    'after',
    '\nExit codes: 0 done (or no change with --exit-code), 1 images changed (--exit-code), 2 usage error,\n' +
      '3 helm failed (release or revision not found).\n' +
      'Examples:\n  imageguard diff web            # previous revision -> current\n' +
      '  imageguard diff web 4 7 -n prod --format markdown\n' +
      '  helm imageguard diff web --exit-code',
  );
  command.action(async (release: string, revA: number | undefined, revB: number | undefined, options: DiffOptions) => {
    const reader = await ReleaseReader.open(releaseScope(release, options, io), releaseSettings(options, io));
    const to = revB ?? reader.current.revision;
    const from = revA ?? reader.previous('to compare it with; name two revisions: imageguard diff RELEASE REV_A REV_B');
    const [a, b] = await reader.revisions([from, to]);
    const report = diffReport(reader.release, a!.info, b!.info, diffRevisions(a!, b!));
    const toStdout = !options.output || options.output === '-';
    emitReport(RELEASE_FORMATTERS[options.format](report, { color: useColor(io, toStdout, options.color) }), options.output, io);
    done(options.exitCode && hasChanges(report.containers) ? ExitCode.findings : ExitCode.ok);
  });
  return command;
}
