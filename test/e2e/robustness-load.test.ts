/**
 * Issue 10, load: `lint --recursive` over 200 generated small charts with `--jobs 32` on a 2-core machine finishes with
 * every result, no EMFILE, and bounded memory. Peak memory is the resident set of the imageguard process as GNU time
 * reports it (`/usr/bin/time -f %M`, the maximum RSS in KiB, which on Linux includes the reaped helm children's
 * maximum too), asserted against a generous bound.
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without types (bench/generate.mjs)
import { monorepo } from '../../bench/generate.mjs';
import type { Report } from '../../src/report/types.js';
import { expectValidReport } from '../helpers/cli.js';
import { assertHelmBinaries, HELM_VERSIONS, repoRoot } from '../helpers/helm.js';
import { STACK_TRACE } from '../helpers/robustness.js';

const CHARTS = 200;
const HELM = HELM_VERSIONS[HELM_VERSIONS.length - 1]!;
const ONE_GIB_KB = 1024 * 1024;
let work = '';

beforeAll(() => {
  assertHelmBinaries([HELM]);
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time (GNU time) is missing: apt-get install time');
  work = mkdtempSync(join(tmpdir(), 'imageguard-load-'));
  (monorepo as (dir: string, count: number) => string)(join(work, 'mono'), CHARTS);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('load', () => {
  it(`lint --recursive over ${CHARTS} charts with --jobs 32 (helm ${HELM.version}): every result, no EMFILE, peak RSS < 1 GiB`, async () => {
    const report = join(work, 'report.json');
    const rss = join(work, 'rss.txt');
    const result = await execa(
      '/usr/bin/time',
      ['-f', '%M', '-o', rss, process.execPath, join(repoRoot, 'bin', 'imageguard'), 'lint', '--recursive', join(work, 'mono'), '--jobs', '32', '--format', 'json', '-o', report],
      { reject: false, env: { HELM_BIN: HELM.bin, NO_COLOR: '1', HELM_NAMESPACE: undefined, HELM_DEBUG: undefined }, timeout: 110_000 },
    );
    // Every chart has one `latest` image (bench/generate.mjs: app0 of each chart), so findings: exit 1.
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr).not.toMatch(/EMFILE|ENFILE|too many open files/i);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    const parsed = expectValidReport(JSON.parse(readFileSync(report, 'utf8'))) as Report;
    expect(parsed.targets).toHaveLength(CHARTS);
    expect(new Set(parsed.targets.map((target) => target.chart)).size).toBe(CHARTS);
    // Each chart renders two Deployments, each with an init container and an app container.
    expect(parsed.images).toHaveLength(CHARTS * 4);
    expect(parsed.summary.error).toBe(CHARTS);
    const peakKb = Number(readFileSync(rss, 'utf8').trim().split('\n').pop());
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb, `peak RSS ${Math.round(peakKb / 1024)} MiB`).toBeLessThan(ONE_GIB_KB);
  }, 120_000);
});
