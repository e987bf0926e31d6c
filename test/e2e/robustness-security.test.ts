/**
 * Issue 10, security:
 * - no shell anywhere: hostile chart path, release name, values file name and --set value reach helm verbatim, and
 *   no command inside them runs (a HELM_BIN wrapper logs helm's argv as JSON, then runs the real helm);
 * - regular expressions from configuration cannot hang a run (mutable tag globs become regular expressions in
 *   `schema` and `validate`: more than one `*` is refused; ignore globs are matched without regular expressions);
 * - credentials never appear in output: registry credentials are covered by test/e2e/pin-credentials.test.ts (pin
 *   and upgrade --imageguard-pin, with --debug, HELM_DEBUG=true, rejected credentials, a redirect to another host);
 *   what it does not cover is a password in a URL on the command line (--repo, oci://), which helm quotes back.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertHelmBinaries, HELM_VERSIONS, repoRoot } from '../helpers/helm.js';
import { runImageguard, STACK_TRACE } from '../helpers/robustness.js';

const APP = join(repoRoot, 'test', 'fixtures', 'bad', 'charts', 'app');
const HOSTILE = `x $(touch PWNED-dollar) \`touch PWNED-backtick\`; touch PWNED-semicolon 'single' "double"`;
// helm reads -f as a CSV list, so a file name with a double quote is refused by helm itself, and the fixture's
// template puts the --set value between double quotes: those two go without (the chart path keeps it).
const HOSTILE_FILE = HOSTILE.replace(' "double"', '');
let work = '';
beforeAll(() => {
  assertHelmBinaries();
  work = mkdtempSync(join(tmpdir(), 'imageguard-security-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A HELM_BIN that appends its argv (as JSON) to a log, then runs the real helm with it and exits as it did. */
function loggingHelm(realHelm: string, dir: string): { bin: string; calls(): string[][] } {
  const log = join(dir, 'argv.jsonl');
  const bin = join(dir, 'helm-logging');
  writeFileSync(
    bin,
    `#!${process.execPath}\n` +
      "const { appendFileSync } = require('node:fs');\nconst { spawnSync } = require('node:child_process');\n" +
      `appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n` +
      `const r = spawnSync(${JSON.stringify(realHelm)}, process.argv.slice(2), { stdio: 'inherit' });\n` +
      'if (r.signal) process.kill(process.pid, r.signal);\nprocess.exit(r.status ?? 1);\n',
    { mode: 0o755 },
  );
  writeFileSync(log, '');
  return {
    bin,
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as string[]),
  };
}

const pwned = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith('PWNED'));

describe('no shell anywhere: hostile arguments reach helm verbatim and run nothing', () => {
  for (const helm of HELM_VERSIONS) {
    it(`helm ${helm.version}: chart path, values file name and --set value`, async () => {
      const dir = join(work, `args-${helm.major}`);
      mkdirSync(dir);
      const chart = join(dir, `chart ${HOSTILE}`);
      cpSync(APP, chart, { recursive: true });
      const values = join(dir, `values ${HOSTILE_FILE}.yaml`);
      writeFileSync(values, 'image:\n  repository: nginx\n');
      const logged = loggingHelm(helm.bin, dir);
      const set = `worker.image.tag=${HOSTILE_FILE}`;
      const r = await runImageguard(['lint', chart, '-f', values, '--set', set, '--format', 'json'], { env: { HELM_BIN: logged.bin }, cwd: dir });
      expect(r.stderr).not.toMatch(STACK_TRACE);
      // helm rendered the literal text: the worker image is the hostile string, reported as invalid (exit 1).
      expect(r.exitCode, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as { images: { image: string }[] };
      expect(report.images.map((image) => image.image)).toContain(`busybox:${HOSTILE_FILE}`);
      const template = logged.calls().find((argv) => argv[0] === 'template');
      expect(template).toEqual(['template', 'release-name', chart, '--namespace', 'default', '-f', values, '--set', set]);
      expect(pwned(dir)).toEqual([]);
      expect(pwned(repoRoot)).toEqual([]);
    });

    it(`helm ${helm.version}: release name (helm refuses it, verbatim)`, async () => {
      const dir = join(work, `release-${helm.major}`);
      mkdirSync(dir);
      const logged = loggingHelm(helm.bin, dir);
      const lint = await runImageguard(['lint', APP, '--release', HOSTILE], { env: { HELM_BIN: logged.bin }, cwd: dir });
      expect(lint.exitCode).toBe(3);
      expect(lint.stderr).not.toMatch(STACK_TRACE);
      const diff = await runImageguard(['diff', HOSTILE], { env: { HELM_BIN: logged.bin, HELM_DRIVER: 'memory' }, cwd: dir });
      expect(diff.exitCode).toBe(3);
      expect(diff.stderr).not.toMatch(STACK_TRACE);
      const calls = logged.calls();
      expect(calls.find((argv) => argv[0] === 'template')?.[1]).toBe(HOSTILE);
      expect(calls.find((argv) => argv[0] === 'history')?.[1]).toBe(HOSTILE);
      expect(pwned(dir)).toEqual([]);
    });
  }

  it('src/ starts processes only through execa with argument arrays, never with a shell', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts')) files.push(path);
      }
    };
    walk(join(repoRoot, 'src'));
    const spawning = files.filter((file) => /from 'execa'|node:child_process/.test(readFileSync(file, 'utf8'))).map((file) => file.slice(repoRoot.length + 1));
    expect(spawning.sort()).toEqual(['src/helm/exec.ts', 'src/kube/kubectl.ts', 'src/registry/cred-helper.ts']);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toMatch(/\bshell\s*:\s*true|execaCommand/);
  });
});

describe('regular expressions from configuration cannot hang the run', () => {
  const LONG = 'a'.repeat(100_000);
  const copy = (name: string): string => {
    const chart = join(work, name);
    cpSync(APP, chart, { recursive: true });
    return chart;
  };

  it('a mutable tag glob with more than one * is refused, in the config file and as a flag, in well under a second', async () => {
    const chart = copy('hostile-config');
    writeFileSync(join(chart, '.imageguard.yaml'), `mutableTags:\n  add: ["${'*a'.repeat(20)}*b"]\n`);
    for (const args of [['schema', chart], ['validate', chart, '--with-generated'], ['lint', chart]]) {
      const r = await runImageguard(args, { env: { HELM_BIN: HELM_VERSIONS[0]!.bin } });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toContain('.imageguard.yaml:2: mutableTags.add[0]');
      expect(r.stderr).toContain('at most one *');
      expect(r.ms).toBeLessThan(5_000);
    }
    const flag = await runImageguard(['validate', APP, '--with-generated', '--mutable-tag', `${'*a'.repeat(20)}*b`]);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toContain('at most one *');
  });

  it('the globs it accepts stay fast on a 100,000-character value (schema, validate --with-generated)', async () => {
    const chart = copy('long-values');
    writeFileSync(join(chart, '.imageguard.yaml'), 'mutableTags:\n  add: ["*a", "b*", "*-nightly"]\n');
    writeFileSync(join(chart, 'values.yaml'), `image:\n  repository: nginx\n  tag: "${LONG}!"\nworker:\n  image: "x:${LONG}"\n`);
    for (const args of [['schema', chart], ['validate', chart, '--with-generated', '--set', `worker.image=x:${'a'.repeat(20_000)}!`]]) {
      const r = await runImageguard(args);
      expect(r.stderr).not.toMatch(STACK_TRACE);
      expect([0, 1]).toContain(r.exitCode);
      expect(r.ms, args.join(' ')).toBeLessThan(10_000);
    }
  });

  it('ignore globs are matched without regular expressions: 200 stars against a 10,000-character image', async () => {
    const dir = join(work, 'ignore-glob');
    mkdirSync(dir);
    const image = `${'a'.repeat(10_000)}:latest`;
    writeFileSync(join(dir, 'pod.yaml'), `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: "${image}"\n`);
    writeFileSync(join(dir, 'config.yaml'), `ignore:\n  - image: "${'*a'.repeat(200)}*b"\n    reason: hostile glob\n`);
    const r = await runImageguard(['lint', '--manifest', join(dir, 'pod.yaml'), '--config', join(dir, 'config.yaml'), '--format', 'json']);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.ms).toBeLessThan(5_000);
  });
});

describe('credentials in URLs on the command line never appear in output (registry credentials: pin-credentials.test.ts)', () => {
  const PASSWORD = 's3cret-Url-Pw';
  for (const helm of HELM_VERSIONS) {
    for (const debug of [false, true]) {
      it(`helm ${helm.version}${debug ? ' --debug' : ''}: --repo https://user:pw@host and oci://user:pw@host`, async () => {
        const runs = await Promise.all([
          runImageguard(['lint', 'nginx', '--repo', `http://deployer:${PASSWORD}@127.0.0.1:1/charts`, ...(debug ? ['--debug'] : [])], { env: { HELM_BIN: helm.bin } }),
          runImageguard(['lint', `oci://deployer:${PASSWORD}@127.0.0.1:1/charts/app`, '--plain-http', '--format', 'json', ...(debug ? ['--debug'] : [])], { env: { HELM_BIN: helm.bin } }),
          runImageguard(['pin', `oci://deployer:${PASSWORD}@127.0.0.1:1/charts/app`, '--plain-http', '--lock', join(work, 'never.lock.yaml')], {
            env: { HELM_BIN: helm.bin, ...(debug ? { HELM_DEBUG: 'true' } : {}) },
          }),
        ]);
        for (const r of runs) {
          expect(r.exitCode, r.stderr).toBe(3);
          expect(`${r.stdout}\n${r.stderr}`).not.toContain(PASSWORD);
          expect(r.stderr).toMatch(/deployer:\*\*\*@|127\.0\.0\.1:1/);
        }
        expect(existsSync(join(work, 'never.lock.yaml'))).toBe(false);
      });
    }
  }
});
