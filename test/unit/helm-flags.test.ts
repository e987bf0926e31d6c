import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addHelmRenderOptions, extractHelmArgs } from '../../src/cli/helm-flags.js';

function command(): Command {
  const cmd = new Command('lint').option('--release <name>').option('-o, --output <file>').option('--require-digest');
  addHelmRenderOptions(cmd);
  return cmd;
}

describe('extractHelmArgs', () => {
  it('keeps helm rendering flags in their original order and spelling', () => {
    const argv = ['chart', '-f', 'a.yaml', '--set', 'x=1', '--release', 'r', '--values=b.yaml', '-fc.yaml', '--set-string', 'y=2', '--include-crds'];
    expect(extractHelmArgs(argv, command().options)).toEqual([
      '-f', 'a.yaml', '--set', 'x=1', '--values=b.yaml', '-fc.yaml', '--set-string', 'y=2', '--include-crds',
    ]);
  });

  it('does not take the value of one of our own flags for a helm flag', () => {
    expect(extractHelmArgs(['--output', '-f', 'chart'], command().options)).toEqual([]);
    expect(extractHelmArgs(['--release', '--set', 'chart'], command().options)).toEqual([]);
  });

  it('passes --version, --kube-version, --api-versions and boolean flags through', () => {
    const argv = ['--version', '1.2.3', '--kube-version', '1.32.0', '-a', 'x/v1', '--devel', '--skip-tests', '--no-hooks'];
    expect(extractHelmArgs(argv, command().options)).toEqual(argv);
  });

  it('stops at --', () => {
    expect(extractHelmArgs(['--set', 'a=1', '--', '--set', 'b=2'], command().options)).toEqual(['--set', 'a=1']);
  });
});
