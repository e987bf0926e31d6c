import type { ReleaseReport } from './report.js';

/** The release report as JSON (schemas/release-report.schema.json). */
export function formatReleaseJson(report: ReleaseReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
