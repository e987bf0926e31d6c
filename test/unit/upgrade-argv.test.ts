// Splitting `imageguard upgrade|install` argv: imageguard's own flags out, helm's kept as typed and in order,
// RELEASE/CHART found, and the rendering flags picked for the lint render.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { splitUpgradeArgv } from '../../src/cli/upgrade-argv.js';

const own = new Command('upgrade')
  .option('--imageguard-pin')
  .option('--pin')
  .option('--imageguard-lock <file>')
  .option('--imageguard-fail-on <severity>').options;

describe('splitUpgradeArgv', () => {
  it('keeps helm arguments as typed and in order, without imageguard flags', () => {
    const argv = ['web', './chart', '-f', 'a.yaml', '--imageguard-pin', '--set=x=1', '--imageguard-lock', 'l.yaml', '-fb.yaml', '--wait', '--timeout', '5m', '--imageguard-fail-on=never'];
    const split = splitUpgradeArgv(argv, own, 'upgrade');
    expect(split.helmArgs).toEqual(['web', './chart', '-f', 'a.yaml', '--set=x=1', '-fb.yaml', '--wait', '--timeout', '5m']);
    expect(split.positionals).toEqual(['web', './chart']);
    expect(split.renderArgs).toEqual(['-f', 'a.yaml', '--set=x=1', '-f', 'b.yaml']);
  });

  it.each([
    [['-n', 'prod', 'web', 'c'], 'prod'],
    [['--namespace=prod', 'web', 'c'], 'prod'],
    [['web', 'c'], null],
  ])('finds the namespace in %j', (argv, namespace) => {
    expect(splitUpgradeArgv(argv, own, 'upgrade').namespace).toBe(namespace);
  });

  it('knows which flags take a value: --dry-run and --wait only with =, --server-side by command', () => {
    expect(splitUpgradeArgv(['--dry-run', 'web', 'c'], own, 'install').positionals).toEqual(['web', 'c']);
    expect(splitUpgradeArgv(['--wait', 'web', 'c'], own, 'install').positionals).toEqual(['web', 'c']);
    expect(splitUpgradeArgv(['--server-side', 'auto', 'web', 'c'], own, 'upgrade').positionals).toEqual(['web', 'c']);
    expect(splitUpgradeArgv(['--server-side', 'web', 'c'], own, 'install').positionals).toEqual(['web', 'c']);
  });

  it('reads short clusters (-if x) and reports flags it does not know', () => {
    const split = splitUpgradeArgv(['-if', 'v.yaml', '--brand-new', 'web', 'c'], own, 'upgrade');
    expect(split.helmArgs).toEqual(['-if', 'v.yaml', '--brand-new', 'web', 'c']);
    expect(split.renderArgs).toEqual(['-f', 'v.yaml']);
    expect(split.unknownFlags).toEqual(['--brand-new']);
  });

  it('notes what changes the lint render: --generate-name, reused values, own post-renderer, values from stdin', () => {
    const split = splitUpgradeArgv(['c', '-g', '--reuse-values', '--post-renderer', './pr', '-f', '-'], own, 'install');
    expect(split).toMatchObject({ generateName: true, reusesValues: true, postRenderer: true, valuesFromStdin: true, positionals: ['c'] });
    expect(split.renderArgs).toEqual(['--post-renderer', './pr', '-f', '-']);
  });

  it('passes everything after -- to helm unchanged', () => {
    const split = splitUpgradeArgv(['web', '--', 'c', '--imageguard-pin'], own, 'upgrade');
    expect(split.helmArgs).toEqual(['web', '--', 'c', '--imageguard-pin']);
    expect(split.positionals).toEqual(['web', 'c', '--imageguard-pin']);
  });
});
