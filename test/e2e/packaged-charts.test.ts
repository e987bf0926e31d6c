/**
 * Packaged charts, built by the real `helm package` of each helm version: a subchart as charts/child-0.1.0.tgz
 * (what `helm dependency build` leaves) and a whole chart as parent-0.1.0.tgz given as the CHART argument. lint
 * points at the values line inside the archive (`ARCHIVE:PATH:line:column`), validate reads the packaged
 * subchart's values.schema.json and agrees with helm, and SARIF names the archive as the artifact.
 */
import { execa } from 'execa';
import { appendFileSync, chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageRecord, Report } from '../../src/report/types.js';
import { jsonReport, runCli } from '../helpers/cli.js';
import { assertHelmBinaries, HELM_VERSIONS, repoRoot } from '../helpers/helm.js';

const work = mkdtempSync(join(tmpdir(), 'imageguard-packaged-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function writable(path: string): void {
  chmodSync(path, statSync(path).mode | 0o200);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) writable(join(path, entry));
}

function image(report: Report, container: string): ImageRecord {
  const found = report.images.find((record) => record.container.name === container);
  expect(found, `container ${container}`).toBeDefined();
  return found!;
}

beforeAll(() => assertHelmBinaries());

for (const helm of HELM_VERSIONS) {
  describe(`packaged charts with Helm ${helm.version}`, () => {
    // <work>/<version>/parent with charts/child-0.1.0.tgz (child has a values.schema.json), and parent-0.1.0.tgz.
    const base = join(work, helm.version);
    const run = (args: string[]) => runCli(args, { helmBin: helm.bin, cwd: base });
    const lint = async (...args: string[]) => jsonReport(await run(['lint', ...args, '--format', 'json', '--fail-on', 'never', '--release', 'x']));

    beforeAll(async () => {
      cpSync(join(repoRoot, 'test', 'fixtures', 'charts', 'parent'), join(base, 'parent'), { recursive: true });
      writable(base);
      // A condition, so that a disabled packaged subchart can be told from an enabled one.
      appendFileSync(join(base, 'parent', 'Chart.yaml'), '    condition: child.enabled\n');
      const schema = await runCli(['schema', join('parent', 'charts', 'child'), '--write'], { cwd: base });
      expect(schema.exitCode, schema.stderr).toBe(0);
      const child = join('parent', 'charts', 'child');
      await execa(helm.bin, ['package', child, '-d', join('parent', 'charts')], { cwd: base });
      rmSync(join(base, child), { recursive: true });
      await execa(helm.bin, ['package', 'parent', '-d', '.'], { cwd: base });
    }, 120_000);

    it('lint: the packaged subchart\'s values.yaml lines, as ARCHIVE:PATH', async () => {
      const report = await lint('parent');
      const archived = 'parent/charts/child-0.1.0.tgz:child/values.yaml';
      expect(image(report, 'child').values).toEqual([
        { file: 'parent/values.yaml', path: 'child.image.tag', line: 8, column: 10 },
        { file: archived, path: 'image.repository', line: 3, column: 15 },
        { file: archived, path: 'image.registry', line: 2, column: 13 },
      ]);
      // The latent sidecar of the packaged subchart is found at its line inside the archive.
      const latent = report.findings.filter((finding) => finding.latent);
      expect(latent.map((finding) => finding.values)).toEqual([[{ file: archived, path: 'debug.image', line: 8, column: 10 }]]);
    });

    it('lint: SARIF names the archive as the artifact and says where inside it', async () => {
      const result = await run(['lint', 'parent', '--format', 'sarif', '--release', 'x', '--fail-on', 'never']);
      const sarif = JSON.parse(result.stdout) as { runs: { results: { locations: { physicalLocation: unknown; message?: { text: string } }[] }[] }[] };
      expect(sarif.runs[0]!.results[0]!.locations[0]).toEqual({
        physicalLocation: { artifactLocation: { uri: 'parent/charts/child-0.1.0.tgz', uriBaseId: '%SRCROOT%' } },
        message: { text: 'child/values.yaml:8:10 in this chart archive' },
      });
    });

    it('lint: a packaged chart as the CHART argument gets provenance too', async () => {
      const report = await lint('parent-0.1.0.tgz');
      expect(image(report, 'parent').values).toEqual([
        { file: 'parent-0.1.0.tgz:parent/values.yaml', path: 'image.tag', line: 3, column: 8 },
        { file: 'parent-0.1.0.tgz:parent/values.yaml', path: 'image.repository', line: 2, column: 15 },
      ]);
      const child = image(report, 'child').values;
      expect(child[0]).toEqual({ file: 'parent-0.1.0.tgz:parent/values.yaml', path: 'child.image.tag', line: 8, column: 10 });
      // helm package stores dependencies unpacked (charts/child/); a nested .tgz reads the same way (unit tests).
      expect(child.slice(1).map((value) => value.file)).toEqual(['parent-0.1.0.tgz:parent/charts/child/values.yaml', 'parent-0.1.0.tgz:parent/charts/child/values.yaml']);
    });

    it('lint: the text report names lines inside the archive', async () => {
      const result = await run(['lint', 'parent-0.1.0.tgz', '--release', 'x']);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain('values: parent-0.1.0.tgz:parent/charts/child/values.yaml:8:10 (debug.image)');
    });

    it('validate: --set child.image.tag=latest breaks the packaged subchart\'s schema, as helm says too', async () => {
      const ours = await run(['validate', 'parent', '--set', 'child.image.tag=latest']);
      expect(ours.exitCode, ours.stderr).toBe(1);
      expect(ours.stdout).toBe('--set child.image.tag=latest child.image.tag: "latest" is a mutable tag: pin a version or a digest');
      expect(ours.stderr).toContain('parent/charts/child-0.1.0.tgz:child/values.schema.json');
      expect(ours.stderr).not.toContain('not read');
      const theirs = await execa(helm.bin, ['template', 'x', 'parent', '--set', 'child.image.tag=latest'], { cwd: base, reject: false, stdin: 'ignore' });
      expect(theirs.exitCode).not.toBe(0);
      expect(String(theirs.stderr)).toContain("values don't meet the specifications of the schema(s)");
      const fine = await run(['validate', 'parent', '--set', 'child.image.tag=2.0.2']);
      expect(fine.exitCode, fine.stdout + fine.stderr).toBe(0);
    });

    it('validate: a packaged subchart disabled by its condition is not checked, as helm does', async () => {
      const args = ['parent', '--set', 'child.image.tag=latest', '--set', 'child.enabled=false'];
      const ours = await run(['validate', ...args]);
      expect(ours.exitCode, ours.stdout + ours.stderr).toBe(0);
      const theirs = await execa(helm.bin, ['template', 'x', ...args], { cwd: base, reject: false, stdin: 'ignore' });
      expect(theirs.exitCode, String(theirs.stderr)).toBe(0);
    });

    it('validate: a packaged chart as the CHART argument, with JSON naming the schema inside the archive', async () => {
      const result = await run(['validate', 'parent-0.1.0.tgz', '--set', 'child.image.tag=latest', '--format', 'json']);
      expect(result.exitCode, result.stderr).toBe(1);
      const json = JSON.parse(result.stdout) as { violations: { schema: string; path: string; message: string }[] };
      expect(json.violations).toEqual([
        expect.objectContaining({
          path: 'child.image.tag',
          message: '"latest" is a mutable tag: pin a version or a digest',
          schema: 'parent-0.1.0.tgz:parent/charts/child/values.schema.json',
        }),
      ]);
    });

    it('schema: refuses a packaged chart, and says it does not write into a packaged subchart', async () => {
      const archive = await run(['schema', 'parent-0.1.0.tgz', '--write']);
      expect(archive.exitCode).toBe(2);
      expect(archive.stderr).toContain('schema needs a chart directory (got parent-0.1.0.tgz); unpack the chart first');
      const printed = await run(['schema', 'parent']);
      expect(printed.exitCode, printed.stderr).toBe(0);
      expect(printed.stderr).toContain('parent/charts/child-0.1.0.tgz:child has image fields of its own; schema does not write into a packaged subchart');
    });
  });
}
