import { Command, Option } from 'commander';
import { RULES } from '../rules/index.js';
import type { Io } from './io.js';

/** `imageguard rules`: id, default severity, description and remediation of every rule. */
export function rulesCommand(io: Io, done: (code: number) => void): Command {
  return new Command('rules')
    .summary('list the rules')
    .description('List every rule with its id, default severity, description and remediation.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: { format: 'text' | 'json' }) => {
      const rows = RULES.map(({ id, defaultSeverity, description, remediation }) => ({
        id,
        defaultSeverity,
        description,
        remediation,
      }));
      if (options.format === 'json') {
        io.stdout(`${JSON.stringify({ schemaVersion: 1, rules: rows }, null, 2)}\n`);
      } else {
        const width = Math.max(...rows.map((row) => row.id.length));
        for (const row of rows) {
          io.stdout(`${row.id.padEnd(width)}  ${row.defaultSeverity.padEnd(7)}  ${row.description}\n`);
          io.stdout(`${''.padEnd(width)}  ${''.padEnd(7)}  Fix: ${row.remediation}\n`);
        }
      }
      done(0);
    });
}
