// Start-up: the built CLI runs from V8's code cache, loads only the invoked command's modules, and still lists every
// command in its help.
import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/helm.js';

const demo = join(repoRoot, 'examples', 'demo');

/** Runs the CLI through bin/cli-loader.mjs in a fresh node; prints what the probe script reports on stderr. */
async function probe(argv: readonly string[], report: string): Promise<string> {
  const script =
    `import { loadBundle } from ${JSON.stringify(join(repoRoot, 'bin', 'cli-loader.mjs'))};\n` +
    `const { exports, script } = loadBundle();\n` +
    `await exports.run(${JSON.stringify(argv)}, { stdout() {}, stderr() {}, readStdin: () => '', stdoutIsTTY: false, stderrIsTTY: false, env: {}, cwd: process.cwd() });\n` +
    `process.stderr.write(JSON.stringify(${report}));\n`;
  const result = await execa(process.execPath, ['--input-type=module', '-e', script], { reject: false });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stderr;
}

describe('start-up', () => {
  it('uses the code cache the build wrote for this very bundle', async () => {
    const caches = readdirSync(join(repoRoot, 'dist')).filter((file) => file.endsWith('.v8cache'));
    expect(caches).toHaveLength(1);
    const id = /^\/\/ imageguard build ([0-9a-f]+)\n/.exec(readFileSync(join(repoRoot, 'dist', 'imageguard.cjs'), 'utf8'))?.[1];
    expect(caches[0]).toBe(`imageguard-${id}.v8cache`);
    expect(JSON.parse(await probe(['rules'], 'script.cachedDataRejected'))).toBe(false);
  });

  it('validate does not load the network code of pin, audit and upgrade', async () => {
    const loaded = JSON.parse(await probe(['validate', demo], 'process.moduleLoadList')) as string[];
    expect(loaded).toContain('NativeModule vm'); // the probe sees the real module list
    for (const module of ['https', 'tls', 'http']) expect(loaded).not.toContain(`NativeModule ${module}`);
  });

  it('top-level help still lists every command, and `help X` shows X', async () => {
    const help = await runCli(['--help']);
    expect(help.exitCode).toBe(0);
    for (const name of ['lint', 'rules', 'audit', 'diff', 'rollback-check', 'rollback', 'inject', 'pin', 'upgrade', 'install', 'postrender', 'schema', 'validate']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
    const sub = await runCli(['help', 'validate']);
    expect(sub.exitCode).toBe(0);
    expect(sub.stdout).toContain('Usage: imageguard validate');
  });

  it('an unknown command still gets a suggestion (every command is loaded for it)', async () => {
    const result = await runCli(['valdate', demo]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("(Did you mean validate?)");
  });
});
