import type { AuditReport } from './types.js';

/** The versioned JSON report (schemas/audit-report.schema.json). */
export function formatAuditJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
