/**
 * Issue 4 acceptance 4: `imageguard validate` reports the exact file:line:column and path of a `latest` tag in a
 * -f file, and the flag for a --set, without rendering. Its verdict is checked against helm 3.17.3 and 4.1.4
 * rendering the same chart with the same flags (helm enforces the same values.schema.json), and the exit codes
 * follow DESIGN.md: 0 valid, 1 violations, 2 usage errors, 3 helm failed.
 */
import { execa } from 'execa';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { corpusDir } from '../helpers/corpus.js';
import { assertHelmBinaries, HELM_VERSIONS, repoRoot } from '../helpers/helm.js';

const work = mkdtempSync(join(tmpdir(), 'imageguard-validate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copy(from: string, name: string): string {
  const dir = join(work, name);
  cpSync(from, dir, { recursive: true });
  const writable = (path: string): void => {
    chmodSync(path, statSync(path).mode | 0o200);
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) writable(join(path, entry));
  };
  writable(dir);
  return dir;
}

const validate = (args: string[], env?: Record<string, string>) => runCli(['validate', ...args], { cwd: work, env });

beforeAll(async () => {
  assertHelmBinaries();
  copy(join(corpusDir, 'helm-create'), 'helm-create');
  copy(join(corpusDir, 'nginx'), 'nginx');
  copy(join(corpusDir, 'podinfo'), 'podinfo');
  copy(join(repoRoot, 'test', 'fixtures', 'charts', 'parent'), 'parent');
  for (const args of [['helm-create'], ['nginx'], ['parent', '--recursive']]) {
    const written = await runCli(['schema', ...args, '--write'], { cwd: work });
    expect(written.exitCode, written.stderr).toBe(0);
  }
  writeFileSync(join(work, 'values-prod.yaml'), '# production\nreplicaCount: 3\nimage:\n  # pinned? not yet\n  tag: latest\n');
  writeFileSync(join(work, 'values-ok.yaml'), 'image:\n  tag: "1.16.1"\n');
  writeFileSync(join(work, 'broken.yaml'), 'image:\n  tag: [1\n');
}, 120_000);

describe('validate names where each bad value came from (acceptance 4)', () => {
  it('a -f file: file:line:column and path', async () => {
    const result = await validate(['helm-create', '-f', 'values-prod.yaml']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('values-prod.yaml:5:8 image.tag: "latest" is a mutable tag: pin a version or a digest');
    expect(result.stderr).toContain('1 violation of helm-create/values.schema.json');
  });

  it('a --set: the flag and the key=value that set it (later flags win over files, as in helm)', async () => {
    const result = await validate(['helm-create', '-f', 'values-ok.yaml', '--set', 'replicaCount=2,image.tag=stable']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('--set image.tag=stable image.tag: "stable" is a mutable tag: pin a version or a digest');
  });

  it('JSON: file, line, column, argument, path, value', async () => {
    const result = await validate(['helm-create', '-f', 'values-prod.yaml', '--set-json', 'podLabels={"a":"b"}', '--format', 'json']);
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      schemaVersion: 1,
      chart: 'helm-create',
      schemas: ['helm-create/values.schema.json'],
      valid: false,
      violations: [
        {
          file: 'values-prod.yaml',
          line: 5,
          column: 8,
          argument: null,
          path: 'image.tag',
          value: 'latest',
          keyword: 'not',
          message: '"latest" is a mutable tag: pin a version or a digest',
          schema: 'helm-create/values.schema.json',
          imageguard: true,
        },
      ],
    });
  });

  it('a subchart\'s schema, for a value the parent sets', async () => {
    const result = await validate(['parent', '--set', 'child.image.tag=latest']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('--set child.image.tag=latest child.image.tag: "latest" is a mutable tag: pin a version or a digest');
    expect(result.stderr).toContain('parent/charts/child/values.schema.json');
  });

  it('a chart without a schema: checked against the constraints `schema` would write', async () => {
    const result = await validate(['podinfo', '--set', 'redis.tag=latest']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('--set redis.tag=latest redis.tag: "latest" is a mutable tag: pin a version or a digest');
    expect(result.stderr).toContain('podinfo has no values.schema.json');
  });
});

/** Flags and whether helm accepts the values (the same for both versions here). */
const AGREEMENT: [string, string[], boolean][] = [
  ['helm-create', [], true],
  ['helm-create', ['-f', 'values-prod.yaml'], false],
  ['helm-create', ['-f', 'values-ok.yaml'], true],
  ['helm-create', ['-f', 'values-prod.yaml', '--set', 'image.tag=1.16.1'], true],
  ['helm-create', ['--set', 'image.tag=16'], false],
  ['helm-create', ['--set-string', 'image.tag=16'], true],
  ['helm-create', ['--set', 'image.tag=null'], true],
  ['helm-create', ['--set-literal', 'image.tag=Latest'], false],
  ['nginx', ['--set', 'image.tag='], false],
  ['nginx', ['--set', `image.tag=,image.digest=sha256:${'a'.repeat(64)}`], true],
  ['nginx', ['--set', 'image.digest=sha256:abc'], false],
  ['nginx', ['--set', 'metrics.image.tag=main'], false],
  ['parent', ['--set', 'child.debug.enabled=true'], false],
  ['parent', ['--set', 'child.debug.enabled=true,child.debug.image=busybox:1.36.1'], true],
];

for (const helm of HELM_VERSIONS) {
  describe(`validate agrees with helm ${helm.version} template`, () => {
    it.concurrent.each(AGREEMENT.map(([chart, args, ok]) => [`${chart} ${args.join(' ') || '(defaults)'}`, chart, args, ok] as const))(
      '%s',
      async (_name, chart, args, ok) => {
        const [ours, theirs] = await Promise.all([
          validate([chart, ...args], { HELM_BIN: helm.bin }),
          execa(helm.bin, ['template', 'x', chart, ...args], { cwd: work, reject: false, stdin: 'ignore' }),
        ]);
        expect(theirs.exitCode === 0, String(theirs.stderr)).toBe(ok);
        expect(ours.exitCode, ours.stdout + ours.stderr).toBe(ok ? 0 : 1);
        if (!ok) expect(String(theirs.stderr)).toContain("values don't meet the specifications of the schema(s)");
      },
    );

    it('reads --set-json {...} as this helm version does (helm asked for its version only then)', async () => {
      const args = ['helm-create', '--set-json', '{"image":{"tag":"1.16.1"}}'];
      const result = await validate(args, { HELM_BIN: helm.bin });
      const theirs = await execa(helm.bin, ['template', 'x', ...args], { cwd: work, reject: false, stdin: 'ignore' });
      if (helm.major === 4) {
        expect(theirs.exitCode).toBe(0);
        expect(result.exitCode).toBe(0);
      } else {
        expect(theirs.exitCode).not.toBe(0);
        expect(result.exitCode).toBe(2);
        expect(result.stderr).toContain('--set-json');
      }
    });
  });
}

describe('validate exit codes', () => {
  it.each([
    ['a missing chart', ['nope'], 2, /chart not found: nope/],
    ['a missing -f file', ['helm-create', '-f', 'missing.yaml'], 2, /cannot read values file missing\.yaml: no such file/],
    ['invalid YAML in a -f file', ['helm-create', '-f', 'broken.yaml'], 2, /^imageguard: broken\.yaml:\d+: invalid YAML/],
    ['a --set helm refuses', ['helm-create', '--set', 'image.tag'], 2, /--set "image\.tag": key "image\.tag" has no value|key "tag" has no value/],
  ])('%s: exit %i, one line, no stack', async (_name, args, code, message) => {
    const result = await validate(args);
    expect(result.exitCode).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n').length).toBeLessThanOrEqual(2);
  });

  it('an invalid values.schema.json: exit 2 naming file:line:column', async () => {
    const dir = copy(join(corpusDir, 'helm-create'), 'broken-schema');
    writeFileSync(join(dir, 'values.schema.json'), '{\n  "properties": {\n    "image": ]\n  }\n}\n');
    const result = await validate(['broken-schema']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^imageguard: broken-schema\/values\.schema\.json:3:14: invalid JSON/);
  });

  it('helm is asked only when its version matters: a missing helm is exit 3 then, and irrelevant otherwise', async () => {
    const missing = { HELM_BIN: join(work, 'no-helm') };
    expect((await validate(['helm-create', '--set', 'image.tag=1.16.1'], missing)).exitCode).toBe(0);
    const sensitive = await validate(['helm-create', '--set-json', '{"image":{"tag":"1.16.1"}}'], missing);
    expect(sensitive.exitCode).toBe(3);
    expect(sensitive.stderr).toMatch(/helm not found/);
  });
});
