import { Ajv } from 'ajv';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { repoRoot } from './helm.js';
import { expectValidReleaseReport, isReleaseReport } from './release-schema.js';

const reportSchema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'report.schema.json'), 'utf8')) as object;
const validateReport = new Ajv({ allErrors: true, strict: true }).compile(reportSchema);

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Checks a JSON report against schemas/report.schema.json (every JSON report the tests produce goes here). */
export function expectValidReport(value: unknown): Report {
  const ok = validateReport(value);
  expect(validateReport.errors ?? [], 'report must match schemas/report.schema.json').toEqual([]);
  expect(ok).toBe(true);
  return value as Report;
}

/**
 * Runs the built CLI (bin/imageguard -> dist/) as a user would, with HELM_BIN set to the given helm.
 * When stdout is a JSON report it is validated against the report schema.
 */
export async function runCli(
  args: readonly string[],
  options: { helmBin?: string; env?: Record<string, string | undefined>; input?: string; cwd?: string } = {},
): Promise<CliResult> {
  const env: Record<string, string | undefined> = { NO_COLOR: '1', HELM_NAMESPACE: undefined, HELM_DEBUG: undefined };
  if (options.helmBin) env.HELM_BIN = options.helmBin;
  const result = await execa(process.execPath, [join(repoRoot, 'bin', 'imageguard'), ...args], {
    reject: false,
    env: { ...env, ...options.env },
    extendEnv: true,
    input: options.input,
    cwd: options.cwd ?? repoRoot,
    timeout: 120_000,
  });
  const out: CliResult = { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
  if (out.stdout.trimStart().startsWith('{"schemaVersion') || out.stdout.trimStart().startsWith('{\n  "schemaVersion')) {
    const parsed = JSON.parse(out.stdout) as { tool?: unknown; rules?: unknown };
    if (isReleaseReport(parsed)) expectValidReleaseReport(parsed);
    else if (parsed.tool !== undefined) expectValidReport(parsed);
  }
  return out;
}

export function jsonReport(result: CliResult): Report {
  expect(result.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  return expectValidReport(JSON.parse(result.stdout));
}
