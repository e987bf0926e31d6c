import { Command } from 'commander';
import { VERSION } from '../version.js';
import type { Io } from './io.js';

type Done = (code: number) => void;
type CommandFactory = (io: Io, done: Done) => Promise<Command>;

// Each command's module is imported only when that command runs: `validate` then does not load (or evaluate)
// the http, tls and child-process code of pin, audit and lint, which is a large part of start-up (issue 4).
const COMMANDS: ReadonlyArray<readonly [string, CommandFactory]> = [
  ['lint', async (io, done) => (await import('./lint.js')).lintCommand(io, done)],
  ['rules', async (io, done) => (await import('./rules.js')).rulesCommand(io, done)],
  ['audit', async (io, done) => (await import('./audit.js')).auditCommand(io, done)],
  ['diff', async (io, done) => (await import('./diff.js')).diffCommand(io, done)],
  ['rollback-check', async (io, done) => (await import('./rollback-check.js')).rollbackCheckCommand(io, done)],
  ['rollback', async (io, done) => (await import('./rollback.js')).rollbackCommand(io, done)],
  ['inject', async (io, done) => (await import('./inject.js')).injectCommand(io, done)],
  ['pin', async (io, done) => (await import('./pin.js')).pinCommand(io, done)],
  ['upgrade', async (io, done) => (await import('./upgrade.js')).upgradeCommand(io, done)],
  ['install', async (io, done) => (await import('./upgrade.js')).installCommand(io, done)],
  ['postrender', async (io, done) => (await import('./postrender.js')).postrenderCommand(io, done)],
  ['schema', async (io, done) => (await import('./schema.js')).schemaCommand(io, done)],
  ['validate', async (io, done) => (await import('./validate.js')).validateCommand(io, done)],
];

/** The command argv asks for (`help X` asks for X), or null: then every command is loaded, for help and hints. */
function requestedCommand(argv: readonly string[]): string | null {
  const words = argv.filter((arg) => !arg.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  // Only program options (-V, -h) may come before the command name; anything else means commander must judge.
  if (name === undefined || argv[0]?.startsWith('-')) return null;
  return COMMANDS.some(([known]) => known === name) ? name : null;
}

/** The commander program. Commands report their exit code through `done`; none calls process.exit. */
export async function buildProgram(io: Io, done: Done, argv: readonly string[]): Promise<Command> {
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
  const wanted = requestedCommand(argv);
  const factories = COMMANDS.filter(([name]) => wanted === null || name === wanted).map(([, factory]) => factory(io, done));
  for (const command of await Promise.all(factories)) {
    program.addCommand(command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }));
  }
  return program;
}
