import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { rollbackArgs, type ReleaseScope } from '../../src/helm/release.js';
import { displayCommand, hooksRunWith, splitRollbackArgv } from '../../src/cli/rollback-argv.js';
import { rollbackCommand } from '../../src/cli/rollback.js';

const io = { stdout: () => undefined, stderr: () => undefined, readStdin: () => '', stdoutIsTTY: false, stderrIsTTY: false, env: {}, cwd: '/' };
const own = (): Command => rollbackCommand(io, () => undefined);

describe('splitRollbackArgv', () => {
  it('keeps helm rollback flags in order and spelling, skips ours, and takes RELEASE and REVISION', () => {
    const argv = ['web', '--timeout', '5m', '-n', 'prod', '--wait=watcher', '3', '--force', '--dry-run=client', '--history-max=4', '--fail-on', 'warning', '--no-hooks'];
    expect(splitRollbackArgv(argv, own().options)).toEqual({
      positionals: ['web', '3'],
      helmArgs: ['--timeout', '5m', '--wait=watcher', '--dry-run=client', '--history-max=4', '--no-hooks'],
    });
  });

  it('a boolean helm flag never takes the next token (pflag: --wait 3 means --wait, REVISION 3)', () => {
    expect(splitRollbackArgv(['web', '--wait', '3'], own().options)).toEqual({ positionals: ['web', '3'], helmArgs: ['--wait'] });
  });

  it('passes everything after -- unchanged (helm 3 --force, flags imageguard does not know)', () => {
    expect(splitRollbackArgv(['web', '2', '--force', '--', '--force', '--some-new-flag', 'x'], own().options)).toEqual({
      positionals: ['web', '2'],
      helmArgs: ['--force', '--some-new-flag', 'x'],
    });
  });

  it('does not mistake the value of our own option for a flag or a positional', () => {
    expect(splitRollbackArgv(['-n', '--wait', 'web', '--kube-context=ctx', '--config', 'c.yaml', '--mutable-tag', 'prod'], own().options)).toEqual({
      positionals: ['web'],
      helmArgs: [],
    });
    expect(splitRollbackArgv(['-nprod', 'web'], own().options).positionals).toEqual(['web']);
  });

  it('an option neither ours nor helm rollback\'s is a usage error that says where such flags go', () => {
    expect(() => splitRollbackArgv(['web', '--recreate', '2'], own().options)).toThrow(UsageError);
    expect(() => splitRollbackArgv(['web', '--recreate'], own().options)).toThrow(/unknown option --recreate: .* after --/);
    expect(() => splitRollbackArgv(['web', '-x'], own().options)).toThrow(/unknown option -x/);
    expect(() => splitRollbackArgv(['web', '--history-max'], own().options)).toThrow(/--history-max needs a value/);
  });
});

describe('hooksRunWith', () => {
  it.each([
    [[], true],
    [['--no-hooks'], false],
    [['--no-hooks=true'], false],
    [['--no-hooks=false'], true],
    [['--no-hooks', '--no-hooks=false'], true],
  ])('%j -> %s', (args, hooks) => {
    expect(hooksRunWith(args)).toBe(hooks);
  });
});

describe('rollbackArgs and displayCommand', () => {
  const scope: ReleaseScope = { release: 'web', namespace: 'prod', kubeContext: 'ctx', kubeconfig: null, env: {} };
  it('puts the revision explicitly, then -n/--kube-context, then the user flags unchanged', () => {
    expect(rollbackArgs(scope, { revision: 2, helmArgs: ['--wait', '--timeout', '5m'] })).toEqual([
      'rollback', 'web', '2', '--namespace', 'prod', '--kube-context', 'ctx', '--wait', '--timeout', '5m',
    ]);
    expect(rollbackArgs({ ...scope, namespace: null, kubeContext: null }, { revision: 1, helmArgs: [] })).toEqual(['rollback', 'web', '1']);
  });

  it('quotes for display only', () => {
    expect(displayCommand(['rollback', 'web', '--set', "a b'c"])).toBe(`rollback web --set 'a b'\\''c'`);
  });
});
