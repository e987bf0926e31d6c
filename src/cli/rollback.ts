import { Command, InvalidArgumentError } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import { helmRollback, rollbackArgs } from '../helm/release.js';
import { RELEASE_FORMATTERS } from '../release/format.js';
import type { RollbackFailOn } from '../release/verdict.js';
import { useColor, type Io } from './io.js';
import { addReleaseOptions, commandArgv, parseRevision, ReleaseReader, releaseScope, releaseSettings, type ReleaseFlags } from './release-source.js';
import { displayCommand, HELM_ROLLBACK_FLAGS, hooksRunWith, splitRollbackArgv } from './rollback-argv.js';
import { failOnOption, runRollbackCheck } from './rollback-check.js';

interface RollbackOptions extends ReleaseFlags {
  force?: boolean;
  failOn: RollbackFailOn;
}

function revisionArgument(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseRevision(text);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UsageError(`REVISION: ${error.message}`);
    throw error;
  }
}

/** `imageguard rollback RELEASE [REVISION] [helm rollback flags]`: the check, then helm rollback only if it passes. */
export function rollbackCommand(io: Io, done: (code: number) => void): Command {
  const command = new Command('rollback')
    .summary('rollback-check, then helm rollback only if it restores the images (or --force)')
    .description(
      'Run rollback-check for RELEASE and REVISION (default: the one before the current, as helm rollback). If every ' +
        'container the rollback starts gets the image of REVISION, run `$HELM_BIN rollback RELEASE REVISION` with the ' +
        'helm rollback flags given here, unchanged and in order, with helm\'s output streamed and its exit code ' +
        'returned. Otherwise refuse, with the reasons, and never start helm rollback, unless --force. ' +
        'The check goes to stderr; stdout is helm\'s. Helm flags imageguard does not know go after --.',
    )
    .usage('[options] <release> [revision] [helm rollback flags] [-- other helm flags]')
    .argument('[release]', 'release name')
    .argument('[revision]', 'revision to roll back to (default: the one before the current)')
    .option('--force', "roll back even when the check fails (helm's own Helm 3 --force: put it after --)")
    .addOption(failOnOption());
  addReleaseOptions(command);
  for (const flag of HELM_ROLLBACK_FLAGS) {
    command.option(flag.arity === 'value' ? `${flag.name} <value>` : flag.name, flag.description);
  }
  // Our splitter reads argv itself (order, `--wait=watcher`, `--dry-run=client`); commander only checks our options.
  command.allowUnknownOption().allowExcessArguments();
  command.addHelpText(
    'after',
    '\nExit codes: helm rollback\'s own when it ran; 1 refused (the check failed: no-op, mutable-target,\n' +
      'invalid-target, or tag-only with --fail-on warning); 2 usage error; 3 helm failed (release or revision not found).\n' +
      'Examples:\n  imageguard rollback web                 # to the previous revision, if safe\n' +
      '  helm imageguard rollback web 4 -n prod --wait --timeout 10m\n' +
      '  imageguard rollback web 4 --force -- --force   # imageguard\'s --force, then helm 3\'s',
  );
  command.action(async (_release: unknown, _revision: unknown, options: RollbackOptions, cmd: Command) => {
    const { positionals, helmArgs } = splitRollbackArgv(commandArgv(cmd), cmd.options);
    const [release, revisionText, ...extra] = positionals;
    if (release === undefined) throw new UsageError('missing RELEASE: imageguard rollback RELEASE [REVISION] [helm rollback flags]');
    if (extra.length > 0) throw new UsageError(`too many arguments: ${extra.join(' ')} (expected RELEASE [REVISION])`);
    const revision = revisionArgument(revisionText);
    const hooksRun = hooksRunWith(helmArgs);
    const scope = releaseScope(release, options, io);
    const reader = await ReleaseReader.open(scope, releaseSettings(options, io));
    const { report, fails, target } = await runRollbackCheck(reader, revision, { failOn: options.failOn, hooksRun });
    io.stderr(RELEASE_FORMATTERS.text(report, { color: useColor(io, false, options.color) }));
    if (fails && !options.force) {
      io.stderr(
        `imageguard: refusing to roll back ${release} to revision ${target}: the check above failed, so helm rollback was not started.\n` +
          '  To roll back anyway, run the same command with --force.\n',
      );
      done(ExitCode.findings);
      return;
    }
    if (fails) io.stderr(`imageguard: --force: rolling back ${release} to revision ${target} despite the verdicts above.\n`);
    const args = rollbackArgs(scope, { revision: target, helmArgs });
    io.stderr(`imageguard: running helm ${displayCommand(args)}\n`);
    done(await helmRollback(scope, { revision: target, helmArgs, onStdout: io.stdout, onStderr: io.stderr }));
  });
  return command;
}
