/**
 * Issue 4 acceptance 3 and the rules of `schema --write`, on temporary charts, with Helm 3.17.3 and 4.1.4:
 * a hand-written values.schema.json survives the merge, a second --write is byte-identical, --check passes after a
 * write and fails once values.yaml gains an image field; writes stay inside the chart (symlinks), numeric tags are
 * quoted in place, subcharts get their own schema with --recursive, and broken inputs are usage errors (exit 2).
 */
import { execa } from 'execa';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { assertHelmBinaries, HELM_VERSIONS, repoRoot, type HelmBinary } from '../helpers/helm.js';

const work = mkdtempSync(join(tmpdir(), 'imageguard-schema-merge-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => assertHelmBinaries());

const AUTHOR_SCHEMA = `{
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "shop",
    "description": "Hand-written: keep me exactly.",
    "type": "object",
    "properties": {
        "replicaCount": { "type": "integer", "minimum": 1, "description": "How many pods" },
        "image": { "$ref": "#/$defs/image" },
        "tier": { "enum": ["web", "batch"], "description": "Workload tier" }
    },
    "required": ["image"],
    "$defs": {
        "image": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "repository": { "type": "string", "minLength": 1 },
                "tag": { "type": "string", "description": "Pinned tag" },
                "pullPolicy": { "enum": ["Always", "IfNotPresent", "Never"] }
            }
        }
    }
}
`;

const VALUES = `# shop chart
replicaCount: 1
tier: web
image:
  repository: example/shop   # the app
  tag: "1.2.3"
  pullPolicy: IfNotPresent
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-shop
spec:
  replicas: {{ .Values.replicaCount }}
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
        - name: shop
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
{{- if .Values.worker }}
        - name: worker
          image: "{{ .Values.worker.image.repository }}:{{ .Values.worker.image.tag }}"
{{- end }}
`;

function makeChart(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 0.1.0\nappVersion: "1.2.3"\n`);
  writeFileSync(join(dir, 'templates', 'deployment.yaml'), DEPLOYMENT);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

async function template(helm: HelmBinary, dir: string, ...args: string[]) {
  const result = await execa(helm.bin, ['template', 'x', dir, ...args], { reject: false, stdin: 'ignore' });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The schema with imageguard's two parts taken out. */
function authorPart(text: string): unknown {
  const schema = JSON.parse(text) as { $defs?: Record<string, unknown>; allOf?: { $ref?: string }[] };
  delete schema.$defs?.imageguard;
  schema.allOf = schema.allOf?.filter((item) => item.$ref !== '#/$defs/imageguard');
  if (schema.allOf?.length === 0) delete schema.allOf;
  return schema;
}

describe('a hand-written schema (acceptance 3)', () => {
  const dir = makeChart('shop', { 'values.yaml': VALUES, 'values.schema.json': AUTHOR_SCHEMA });
  const schemaFile = join(dir, 'values.schema.json');
  let first = '';

  beforeAll(async () => {
    const written = await runCli(['schema', dir, '--write']);
    expect(written.exitCode, written.stderr).toBe(0);
    first = readFileSync(schemaFile, 'utf8');
  });

  it('survives the merge unchanged outside imageguard\'s parts: keys, order, $schema, $defs, $ref, enums, layout', () => {
    expect(authorPart(first)).toEqual(JSON.parse(AUTHOR_SCHEMA));
    expect(JSON.stringify(authorPart(first))).toBe(JSON.stringify(JSON.parse(AUTHOR_SCHEMA))); // key order too
    const untouched = AUTHOR_SCHEMA.split('\n').filter((line) => !first.includes(line));
    expect(untouched).toEqual([]); // every line the author wrote is still there, byte for byte
    const schema = JSON.parse(first) as Record<string, unknown>;
    expect(schema).not.toHaveProperty('additionalProperties');
    expect((schema.$defs as Record<string, { $comment?: string }>).imageguard!.$comment).toMatch(/^imageguard:/);
  });

  it('a second --write is byte-identical, and --check passes', async () => {
    const again = await runCli(['schema', dir, '--write']);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain('already up to date');
    expect(readFileSync(schemaFile, 'utf8')).toBe(first);
    const check = await runCli(['schema', dir, '--check']);
    expect(check).toMatchObject({ exitCode: 0, stdout: '' });
  });

  for (const helm of HELM_VERSIONS) {
    it(`Helm ${helm.version}: the defaults and global render, latest is refused, the author's rules still hold`, async () => {
      expect((await template(helm, dir)).exitCode).toBe(0);
      expect((await template(helm, dir, '--set', 'global.anything=1')).exitCode).toBe(0);
      const latest = await template(helm, dir, '--set', 'image.tag=latest');
      expect(latest.exitCode).not.toBe(0);
      expect(latest.stderr).toMatch(helm.major === 3 ? /- image\.tag: Must not validate the schema \(not\)/ : /at '\/image\/tag': 'not' failed/);
      const author = await template(helm, dir, '--set', 'tier=other');
      expect(author.exitCode).not.toBe(0);
      expect(author.stderr).toContain('tier');
    });
  }

  it('--check fails with a readable diff after values.yaml gains an image field, and writes nothing', async () => {
    writeFileSync(join(dir, 'values.yaml'), `${VALUES}worker:\n  image:\n    repository: example/worker\n    tag: "4.5.6"\n`);
    const check = await runCli(['schema', dir, '--check']);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain(`--- a/${schemaFile}`);
    expect(check.stdout).toMatch(/^\+ +"worker": \{$/m);
    expect(check.stderr).toContain(`${schemaFile} is out of date: run imageguard schema --write`);
    expect(readFileSync(schemaFile, 'utf8')).toBe(first);
    expect((await runCli(['schema', dir, '--write'])).exitCode).toBe(0);
    expect((await runCli(['schema', dir, '--check'])).exitCode).toBe(0);
    expect(authorPart(readFileSync(schemaFile, 'utf8'))).toEqual(JSON.parse(AUTHOR_SCHEMA));
    for (const helm of HELM_VERSIONS) {
      const refused = await template(helm, dir, '--set', 'worker.image.tag=main');
      expect(refused.exitCode, helm.version).not.toBe(0);
      expect(refused.stderr).toContain(helm.major === 3 ? 'worker.image.tag' : '/worker/image/tag');
    }
  });
});

describe('writes stay inside the chart', () => {
  it('refuses a values.schema.json that is a symlink to a file outside the chart (exit 2), writes through one inside', async () => {
    const outside = join(work, 'outside.json');
    writeFileSync(outside, '{}\n');
    const dir = makeChart('linked', { 'values.yaml': VALUES });
    symlinkSync(outside, join(dir, 'values.schema.json'));
    const refused = await runCli(['schema', dir, '--write']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/refusing to write .*values\.schema\.json: it is a symlink that points outside the chart directory/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(outside, 'utf8')).toBe('{}\n');

    const inside = makeChart('linked-inside', { 'values.yaml': VALUES });
    mkdirSync(join(inside, 'schemas'), { recursive: true });
    writeFileSync(join(inside, 'schemas', 'real.json'), '{}\n');
    symlinkSync(join('schemas', 'real.json'), join(inside, 'values.schema.json'));
    expect((await runCli(['schema', inside, '--write'])).exitCode).toBe(0);
    expect(lstatSync(join(inside, 'values.schema.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(inside, 'schemas', 'real.json'), 'utf8')).toContain('"imageguard"');
  });
});

describe('numeric tags', () => {
  const numeric = VALUES.replace('tag: "1.2.3"', 'tag: 1.10   # unquoted on purpose');

  it('warns with file:line, and --fix-numeric-tags quotes them keeping comments and layout', async () => {
    const dir = makeChart('numeric', { 'values.yaml': numeric });
    const printed = await runCli(['schema', dir]);
    expect(printed.exitCode).toBe(0);
    expect(printed.stderr).toContain(`${join(dir, 'values.yaml')}:6:8: image.tag: 1.10 is a number to helm, so the image gets "1.1"`);
    for (const helm of HELM_VERSIONS) expect((await template(helm, dir)).stdout, helm.version).toContain('image: "example/shop:1.1"');

    const fixed = await runCli(['schema', dir, '--write', '--fix-numeric-tags']);
    expect(fixed.exitCode, fixed.stderr).toBe(0);
    expect(readFileSync(join(dir, 'values.yaml'), 'utf8')).toBe(numeric.replace('tag: 1.10   #', 'tag: "1.10"   #'));
    for (const helm of HELM_VERSIONS) {
      expect((await template(helm, dir)).stdout, helm.version).toContain('image: "example/shop:1.10"');
      const number = await template(helm, dir, '--set', 'image.tag=16');
      expect(number.exitCode, `${helm.version}: an integer tag from --set is refused`).not.toBe(0);
      expect((await template(helm, dir, '--set-string', 'image.tag=16')).exitCode).toBe(0);
    }
  });
});

describe('--recursive', () => {
  it('writes the subchart\'s own schema; its disabled sidecar with a moving tag is constrained once switched on', async () => {
    const dir = join(work, 'parent');
    cpSync(join(repoRoot, 'test', 'fixtures', 'charts', 'parent'), dir, { recursive: true });
    const result = await runCli(['schema', dir, '--write', '--recursive']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`${join(dir, 'charts', 'child', 'values.yaml')}:8:10: debug.image: "busybox:latest" uses a mutable tag: constrained only when debug.enabled is true`);
    expect(existsSync(join(dir, 'charts', 'child', 'values.schema.json'))).toBe(true);
    for (const helm of HELM_VERSIONS) {
      expect((await template(helm, dir)).exitCode, helm.version).toBe(0);
      const sidecar = await template(helm, dir, '--set', 'child.debug.enabled=true');
      expect(sidecar.exitCode, helm.version).not.toBe(0);
      expect(sidecar.stderr).toMatch(/child:|debug/);
      expect((await template(helm, dir, '--set', 'child.debug.enabled=true', '--set', 'child.debug.image=busybox:1.36.1')).exitCode).toBe(0);
      expect((await template(helm, dir, '--set', 'child.image.tag=latest')).exitCode).not.toBe(0);
    }
  });
});

describe('refusals and exit codes', () => {
  it('a chart whose own default is mutable and on: warned, left out, still exit 0', async () => {
    const dir = makeChart('moving', { 'values.yaml': VALUES.replace('"1.2.3"', 'latest') });
    const result = await runCli(['schema', dir]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(':6:8: image.tag: the default tag "latest" is a mutable tag: not constrained');
    expect(JSON.parse(result.stdout)).toEqual({});
  });

  it('--require-digest without a default digest writes nothing and exits 1', async () => {
    const dir = makeChart('digest', { 'values.yaml': `${VALUES}  digest: ""\n` });
    const result = await runCli(['schema', dir, '--write', '--require-digest']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('--require-digest needs the chart\'s default pinned');
    expect(result.stderr).toContain('nothing written');
    expect(existsSync(join(dir, 'values.schema.json'))).toBe(false);
  });

  it.each([
    ['a missing chart', ['schema', join(work, 'nope')], /chart not found/],
    ['--write with --check', ['schema', '.', '--write', '--check'], /cannot be used with option '--check'/],
    ['a packaged chart', ['schema', 'x.tgz'], /schema needs a chart directory/],
  ])('%s: exit 2', async (_name, args, message) => {
    const result = await runCli(args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('invalid values.yaml or values.schema.json: exit 2 naming file:line', async () => {
    const badSchema = makeChart('bad-schema', { 'values.yaml': VALUES, 'values.schema.json': '{\n  "type": "object",\n  "properties": {,\n}\n' });
    const schema = await runCli(['schema', badSchema, '--write']);
    expect(schema.exitCode).toBe(2);
    expect(schema.stderr).toBe(`imageguard: ${join(badSchema, 'values.schema.json')}:3:18: invalid JSON: unexpected character ",", expected a property name in double quotes`);
    const badValues = makeChart('bad-values', { 'values.yaml': 'image:\n  tag: [1\n' });
    const values = await runCli(['schema', badValues]);
    expect(values.exitCode).toBe(2);
    expect(values.stderr).toMatch(new RegExp(`^imageguard: ${join(badValues, 'values.yaml')}:\\d+: invalid YAML`));
  });
});
