/** schemas/release-report.schema.json as an ajv validator: every JSON release report the tests see goes through it. */
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ReleaseReport } from '../../src/release/report.js';
import { repoRoot } from './helm.js';

const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'release-report.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

export const RELEASE_REPORT_KINDS = ['diff', 'rollback-check', 'rollback-timeline'];

/** True for the JSON of diff / rollback-check (their `kind`), which the lint report schema does not describe. */
export function isReleaseReport(value: unknown): boolean {
  return typeof value === 'object' && value !== null && RELEASE_REPORT_KINDS.includes(String((value as { kind?: unknown }).kind));
}

export function expectValidReleaseReport(value: unknown): ReleaseReport {
  const ok = validate(value);
  expect(validate.errors ?? [], 'report must match schemas/release-report.schema.json').toEqual([]);
  expect(ok).toBe(true);
  return value as ReleaseReport;
}
