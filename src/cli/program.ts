import { Command } from 'commander';
import { VERSION } from '../version.js';
import type { Io } from './io.js';
import { lintCommand } from './lint.js';
import { rulesCommand } from './rules.js';

/** The commander program. Commands report their exit code through `done`; none calls process.exit. */
export function buildProgram(io: Io, done: (code: number) => void): Command {
  const program = new Command('imageguard')
    .description(
      'Keep mutable image tags (latest, no tag, stable, 1.27) out of Helm releases.\n' +
        'Runs standalone (imageguard ...) or as a Helm plugin (helm imageguard ...).',
    )
    .version(VERSION, '-V, --version', 'print the imageguard version')
    // Program options only before the command name: `lint --version 1.2.3` is helm's chart version.
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  for (const command of [lintCommand(io, done), rulesCommand(io, done)]) {
    program.addCommand(command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }));
  }
  return program;
}
