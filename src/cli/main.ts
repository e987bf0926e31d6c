import { CommanderError } from 'commander';
import { ExitCode, ImageguardError } from '../errors.js';
import { formatError, isDebug } from './format-error.js';
import { processIo, type Io } from './io.js';
import { buildProgram } from './program.js';

/** Runs the CLI and returns the exit code. Never exits the process. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let code: number = ExitCode.ok;
  try {
    const program = await buildProgram(io, (result) => {
      code = result;
    }, argv);
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other commander error is a usage error (its default is 1).
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) {
        return error.code === 'commander.help' && argv.length === 0 ? ExitCode.usage : ExitCode.ok;
      }
      return ExitCode.usage;
    }
    io.stderr(formatError(error, isDebug(argv, io.env)));
    return error instanceof ImageguardError ? error.exitCode : ExitCode.usage;
  }
}

/** The only place that sets the process exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  // `imageguard ... | head` closes the pipe early: that is the reader's choice, not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    process.stdout.destroy();
  });
  process.exitCode = await run(argv, processIo());
}
