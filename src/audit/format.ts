import { formatAuditJson } from './format-json.js';
import { formatAuditMarkdown } from './format-markdown.js';
import { formatAuditText } from './format-text.js';
import type { AuditFormat, AuditReport } from './types.js';

export interface AuditFormatOptions {
  color: boolean;
}

/** One formatter per audit format; adding a format to AuditFormat without one does not compile. */
export const AUDIT_FORMATTERS: Record<AuditFormat, (report: AuditReport, options: AuditFormatOptions) => string> = {
  text: formatAuditText,
  json: (report) => formatAuditJson(report),
  markdown: (report) => formatAuditMarkdown(report),
};
