/** GitHub Actions workflow commands: each finding becomes an annotation on the file and line that caused it. */
import { findingLocation } from './locations.js';
import type { Finding, Report } from './types.js';

const COMMAND: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Message text: `%` first, so the escapes added after it are not escaped again. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values (file, title) also end at `,` and `:`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function githubLine(report: Report, finding: Finding): string {
  const { primary } = findingLocation(report, finding);
  const properties: string[] = [];
  if (primary) {
    properties.push(`file=${escapeProperty(primary.file)}`);
    if (primary.line !== undefined) properties.push(`line=${primary.line}`);
    if (primary.column !== undefined) properties.push(`col=${primary.column}`);
  }
  properties.push(`title=${escapeProperty(`imageguard ${finding.ruleId}`)}`);
  return `::${COMMAND[finding.severity]} ${properties.join(',')}::${escapeData(finding.message)}`;
}

/**
 * One annotation per finding (suppressed ones are left out: they do not count), then a summary notice that is
 * always printed, so a clean run still shows in the log that imageguard ran.
 */
export function formatGithub(report: Report): string {
  const lines = report.findings.map((finding) => githubLine(report, finding));
  const { error, warning, info } = report.summary;
  const suppressed = report.suppressed.length > 0 ? `, ${report.suppressed.length} suppressed` : '';
  lines.push(`::notice::${escapeData(`imageguard: ${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info${suppressed}`)}`);
  return `${lines.join('\n')}\n`;
}
