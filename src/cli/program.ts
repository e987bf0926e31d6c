import { Command } from 'commander';
import { VERSION } from '../version.js';
import type { Io } from './io.js';
import { auditCommand } from './audit.js';
import { diffCommand } from './diff.js';
import { injectCommand } from './inject.js';
import { lintCommand } from './lint.js';
import { pinCommand } from './pin.js';
import { postrenderCommand } from './postrender.js';
import { rollbackCheckCommand } from './rollback-check.js';
import { rollbackCommand } from './rollback.js';
import { rulesCommand } from './rules.js';
import { schemaCommand } from './schema.js';
import { installCommand, upgradeCommand } from './upgrade.js';
import { validateCommand } from './validate.js';

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
  for (const command of [lintCommand(io, done), rulesCommand(io, done), auditCommand(io, done), diffCommand(io, done), rollbackCheckCommand(io, done), rollbackCommand(io, done), injectCommand(io, done), pinCommand(io, done), upgradeCommand(io, done), installCommand(io, done), postrenderCommand(io, done), schemaCommand(io, done), validateCommand(io, done)]) {
    program.addCommand(command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }));
  }
  return program;
}
