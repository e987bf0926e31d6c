/**
 * `imageguard inject` through the built CLI on temporary corpus copies, each result rendered by Helm 3.17.3 and
 * 4.1.4: acceptance 4 of issue 5 (idempotence, version upgrade, refusal to overwrite an edited helper, --library
 * with Chart.yaml comments intact), --into, --dry-run/--check, the unified diff, symlink and bad-chart refusals.
 */
import { execa } from 'execa';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealHelper } from '../../src/inject/helper.js';
import { BLOCK_BEGIN } from '../../src/inject/into-block.js';
import { runCli } from '../helpers/cli.js';
import { corpusDir } from '../helpers/corpus.js';
import { assertHelmBinaries, HELM_VERSIONS, repoRoot } from '../helpers/helm.js';
import { copyCorpusChart, maskRandom, removeTemp, runHelm, tempDir } from '../helpers/inject.js';

const HELPER = readFileSync(join(repoRoot, 'templates-lib', '_imageguard.tpl'), 'utf8');
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;
const LATEST = 'imageguard: .Values.image.tag is "latest", a mutable tag. Pin a version or a digest.';

/** Every file below dir with its content and modification time. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isSymbolicLink()) out[relative(dir, path)] = 'symlink';
      else if (entry.isDirectory()) walk(path);
      else out[relative(dir, path)] = `${statSync(path).mtimeMs} ${readFileSync(path, 'utf8')}`;
    }
  };
  walk(dir);
  return out;
}

let root = '';
beforeAll(() => {
  assertHelmBinaries();
  root = tempDir();
});
afterAll(() => removeTemp(root));

for (const helm of HELM_VERSIONS) {
  describe(`inject, rendered with Helm ${helm.version}`, () => {
    let dir = '';
    beforeAll(() => {
      dir = join(root, `helm${helm.major}`);
      mkdirSync(dir);
    });
    const inject = (...args: string[]) => runCli(['inject', ...args], { cwd: dir });
    const template = (chart: string, ...flags: string[]) => runHelm(helm.bin, ['template', 'x', chart, '--kube-version', '1.32.0', ...flags]);
    const copy = (name: string, as: string) => copyCorpusChart(name, dir, as);

    it('is idempotent: the second run writes nothing and says so', async () => {
      const chart = copy('helm-create', 'idempotent');
      const first = await inject(chart, '--rewrite');
      expect(first.exitCode).toBe(0);
      expect(first.stderr).toContain('wrote 2 file(s)');
      const before = tree(chart);
      const second = await inject(chart, '--rewrite');
      expect(second).toEqual({ exitCode: 0, stdout: '', stderr: expect.stringContaining(`${chart} is up to date: nothing to change`) as string });
      expect(tree(chart)).toEqual(before);
      expect((await template(chart, '--set', 'image.tag=latest')).stderr).toContain(LATEST);
    });

    it('upgrades an unchanged older helper and the call sites that use it', async () => {
      const chart = copy('helm-create', 'upgrade');
      const older = sealHelper(HELPER.replaceAll('imageguard.v1.', 'imageguard.v0.').replace('imageguard-helper v1 ', 'imageguard-helper v0 '));
      writeFileSync(join(chart, 'templates', '_imageguard.tpl'), older);
      const deployment = join(chart, 'templates', 'deployment.yaml');
      const original = readFileSync(deployment, 'utf8');
      const v0Call = 'image: "{{ include "imageguard.v0.image" (dict "image" .Values.image "path" "image" "context" .) }}"';
      writeFileSync(deployment, original.replace(/image: "\{\{ \.Values\.image\.repository.*"/, v0Call));
      expect((await template(chart)).exitCode).toBe(0);

      const result = await inject(chart);
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toContain(`upgraded ${chart}/templates/_imageguard.tpl from helper v0 to v1`);
      expect(result.stderr).toContain(`${chart}/templates/deployment.yaml:41: now calls helper v1`);
      expect(result.stdout).toContain(`+          ${v0Call.replace('v0', 'v1')}`);
      expect(readFileSync(join(chart, 'templates', '_imageguard.tpl'), 'utf8')).toBe(HELPER);
      expect((await template(chart, '--set', 'image.tag=latest')).stderr).toContain(LATEST);
      expect((await template(chart)).exitCode).toBe(0);
    });

    it('leaves a helper the author edited alone (exit 2, nothing written) unless --force', async () => {
      const chart = copy('helm-create', 'edited');
      expect((await inject(chart)).exitCode).toBe(0);
      const helperFile = join(chart, 'templates', '_imageguard.tpl');
      writeFileSync(helperFile, HELPER.replace('"stable" ', ''));
      const before = tree(chart);

      const refused = await inject(chart, '--rewrite');
      expect(refused.exitCode).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toBe(
        `imageguard: ${chart}/templates/_imageguard.tpl was edited by hand (it no longer matches its checksum); left alone. ` +
          'Rerun with --force to replace it with helper v1.',
      );
      expect(tree(chart)).toEqual(before);

      const forced = await inject(chart, '--force');
      expect(forced.exitCode).toBe(0);
      expect(forced.stderr).toContain(`replaced ${chart}/templates/_imageguard.tpl with helper v1 (--force)`);
      expect(readFileSync(helperFile, 'utf8')).toBe(HELPER);
    });

    it('--library vendors the library chart and adds the dependency with Chart.yaml comments and layout intact', async () => {
      const chart = copy('nginx', 'library');
      const chartYaml = readFileSync(join(chart, 'Chart.yaml'), 'utf8');
      const result = await inject(chart, '--library', '--rewrite');
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr).toContain(`created ${chart}/charts/imageguard-lib/ (guard helper v1)`);
      expect(result.stderr).toContain(`added imageguard-lib 1.0.0 in ${chart}/Chart.yaml dependencies`);
      expect(result.stderr).toContain(`${chart}/Chart.lock does not list imageguard-lib 1.0.0 yet`);
      const after = readFileSync(join(chart, 'Chart.yaml'), 'utf8');
      expect(after.replace('- name: imageguard-lib\n  version: 1.0.0\n', '')).toBe(chartYaml);
      expect(after).toMatch(/^# Copyright Broadcom, Inc\. All Rights Reserved\.\n# SPDX-License-Identifier: APACHE-2\.0\n/);
      expect(after).toContain('  version: 2.x.x\n- name: imageguard-lib\n  version: 1.0.0\ndescription: NGINX Open Source');
      expect(readFileSync(join(chart, 'charts', 'imageguard-lib', 'templates', '_imageguard.tpl'), 'utf8')).toBe(HELPER);

      const [original, rewritten, latest] = await Promise.all([
        template(join(corpusDir, 'nginx')),
        template(chart),
        template(chart, '--set', 'image.tag=latest'),
      ]);
      expect(rewritten.exitCode, rewritten.stderr).toBe(0);
      expect(maskRandom('nginx', rewritten.stdout)).toBe(maskRandom('nginx', original.stdout));
      expect(latest.stderr).toContain(LATEST);
      expect((await inject(chart, '--library', '--rewrite')).stderr).toContain('is up to date');
    });

    it('--library on a chart without dependencies appends the list after its last line', async () => {
      const chart = copy('helm-create', 'library-create');
      const chartYaml = readFileSync(join(chart, 'Chart.yaml'), 'utf8');
      const result = await inject(chart, '--library', '--rewrite');
      expect(result.exitCode, result.stderr).toBe(0);
      expect(readFileSync(join(chart, 'Chart.yaml'), 'utf8')).toBe(`${chartYaml}dependencies:\n- name: imageguard-lib\n  version: 1.0.0\n`);
      expect((await template(chart, '--set', 'image.tag=latest')).stderr).toContain(LATEST);
      expect((await template(chart, '--set', 'image.tag=1.2.3')).stdout).toContain('image: "nginx:1.2.3"');
    });

    it('--into _helpers.tpl puts the helper in a delimited block there', async () => {
      const chart = copy('helm-create', 'into');
      const helpers = readFileSync(join(chart, 'templates', '_helpers.tpl'), 'utf8');
      const result = await inject(chart, '--into', '_helpers.tpl', '--rewrite');
      expect(result.exitCode, result.stderr).toBe(0);
      const after = readFileSync(join(chart, 'templates', '_helpers.tpl'), 'utf8');
      expect(after.startsWith(`${helpers}\n${BLOCK_BEGIN}\n${HELPER}`)).toBe(true);
      expect((await template(chart, '--set', 'image.tag=latest')).stderr).toContain(LATEST);
      expect((await inject(chart, '--into', '_helpers.tpl', '--rewrite')).stderr).toContain('is up to date');
    });

    it('--dry-run writes nothing; its diff applies with patch -p0 and gives what inject writes; --check exits 1 then 0', async () => {
      const dry = copy('podinfo', 'dry');
      const wet = copy('podinfo', 'wet');
      const before = tree(dry);
      const preview = await inject('dry', '--rewrite', '--dry-run');
      expect(preview.exitCode).toBe(0);
      expect(preview.stderr).toContain('dry run: 4 file(s) would change; nothing written');
      expect(preview.stderr).toContain('dry/templates/tests/jwt.yaml:17: not rewritten (hard-coded image giantswarm/tiny-tools; pin it');
      expect(preview.stdout).toMatch(/^--- dry\/templates\/deployment\.yaml\n\+\+\+ dry\/templates\/deployment\.yaml\n@@ -36,7 \+36,7 @@\n/);
      expect(tree(dry)).toEqual(before);
      expect((await inject('dry', '--rewrite', '--check')).exitCode).toBe(1);

      expect((await inject('wet', '--rewrite')).exitCode).toBe(0);
      const patched = await execa('patch', ['-p0', '--quiet'], { cwd: dir, input: preview.stdout, reject: false });
      expect(patched.exitCode, patched.stderr).toBe(0);
      for (const file of ['deployment.yaml', 'hooks/job.yaml', 'redis/deployment.yaml']) {
        expect(readFileSync(join(dry, 'templates', file), 'utf8')).toBe(readFileSync(join(wet, 'templates', file), 'utf8'));
      }
      expect((await inject('wet', '--rewrite', '--check')).exitCode).toBe(0);
      expect((await template(wet, '--set', 'image.tag=latest')).stderr).toContain(LATEST);
    });

    it('never writes through a symbolic link out of the chart', async () => {
      const outside = join(dir, 'outside');
      mkdirSync(outside);
      writeFileSync(join(outside, 'keep.yaml'), 'a: 1\n');
      const linkedTemplates = copy('helm-create', 'linked-templates');
      const linkedFile = copy('helm-create', 'linked-file');
      symlinkSync(join(outside, 'keep.yaml'), join(linkedFile, 'templates', '_imageguard.tpl'));
      rmSync(join(linkedTemplates, 'templates'), { recursive: true });
      symlinkSync(outside, join(linkedTemplates, 'templates'));

      const [viaDir, viaFile] = await Promise.all([inject(linkedTemplates, '--rewrite'), inject(linkedFile)]);
      expect(viaDir.exitCode).toBe(2);
      expect(viaDir.stderr).toBe(`imageguard: ${linkedTemplates}/templates is a symbolic link; refusing to use it`);
      expect(viaFile.exitCode).toBe(2);
      expect(viaFile.stderr).toBe(
        `imageguard: refusing to write ${linkedFile}/templates/_imageguard.tpl: ${linkedFile}/templates/_imageguard.tpl is a symbolic link`,
      );
      expect(readdirSync(outside)).toEqual(['keep.yaml']);
      expect(readFileSync(join(outside, 'keep.yaml'), 'utf8')).toBe('a: 1\n');
    });

    it('refuses bad charts and bad flag combinations with exit 2, a short message and no writes', async () => {
      writeFileSync(join(dir, 'x.tgz'), '');
      const badChart = copy('helm-create', 'bad-chart');
      writeFileSync(join(badChart, 'Chart.yaml'), 'apiVersion: v2\nname: [x\n');
      const badValues = copy('helm-create', 'bad-values');
      writeFileSync(join(badValues, 'values.yaml'), 'image: [\n');
      const cases: [string[], RegExp][] = [
        [['no-such-chart'], /^imageguard: chart not found: no-such-chart \(no such file or directory\)$/],
        [['x.tgz'], /^imageguard: not a chart directory: x\.tgz; inject edits an unpacked chart/],
        [[badChart], /Chart\.yaml:\d+: invalid YAML/],
        [[badValues, '--rewrite'], /values\.yaml:\d+: invalid YAML/],
        [[copy('podinfo', 'v1-chart'), '--library'], /apiVersion v1 charts keep dependencies in requirements\.yaml/],
        [[copy('helm-create', 'both'), '--library', '--into', '_helpers.tpl'], /exclude each other/],
        [[copy('helm-create', 'bad-into'), '--into', '../x.tpl'], /--into \.\.\/x\.tpl: give a file below the chart's templates\/ folder/],
        [[copy('helm-create', 'bad-flag'), '--no-such-flag'], /unknown option '--no-such-flag'/],
      ];
      const before = tree(dir);
      const results = await Promise.all(cases.map(([args]) => inject(...args)));
      results.forEach((result, i) => {
        const [args, message] = cases[i]!;
        expect(result.exitCode, args.join(' ')).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(message);
        expect(result.stderr).not.toMatch(STACK_TRACE);
        expect(result.stderr.trim().split('\n').length, result.stderr).toBeLessThanOrEqual(2);
      });
      expect(tree(dir)).toEqual(before);
    });
  });
}
