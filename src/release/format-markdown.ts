/** Release reports as GitHub-flavoured markdown, for a pull request or a chat message (pure). */
import { containerCell, resourceLabel } from './describe.js';
import type { DiffReport, ReleaseReport, RollbackCheckReport, RollbackTimelineReport } from './report.js';
import type { ImageSide, RollbackOutcome } from './types.js';
import { checkConclusion, countingVerdicts, namespaceText, OUTCOME_WORD, revisionText } from './words.js';

/** A table cell: no line breaks, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code that survives any backticks in the text. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.includes('`') ? ` ${text} ` : text}${fence}`;
}

function image(side: ImageSide | null): string {
  return side ? `${cell(code(side.image))} ${side.class}` : '—';
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function tableOf(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

function hookSuffix(side: ImageSide | null): string {
  return side?.hook ? ` (hook ${cell(side.hook)})` : '';
}

function formatDiff(report: DiffReport): string {
  const { from, to, summary } = report;
  const lines = [
    `### Images of release \`${report.release.name}\`${namespaceText(report.release.namespace)}: ${revisionText(from)} → ${revisionText(to)}`,
    '',
  ];
  if (report.containers.length > 0) {
    lines.push(
      ...tableOf(
        ['Change', 'Resource', 'Container', `Revision ${from.revision}`, `Revision ${to.revision}`],
        report.containers.map((entry) => [
          entry.change === 'unchanged' ? entry.change : `**${entry.change}**`,
          cell(resourceLabel(entry.resource)) + hookSuffix(entry.to ?? entry.from),
          cell(containerCell(entry.container)),
          image(entry.from),
          image(entry.to),
        ]),
      ),
      '',
    );
  }
  lines.push(`${summary.changed} changed, ${summary.added} added, ${summary.removed} removed, ${summary.unchanged} unchanged.`);
  return `${lines.join('\n')}\n`;
}

const OUTCOME_MARK: Record<RollbackOutcome, string> = { safe: 'safe', warning: 'not proven', unsafe: 'unsafe' };

function formatCheck(report: RollbackCheckReport): string {
  const lines = [
    `### Rollback of \`${report.release.name}\`${namespaceText(report.release.namespace)}: ${revisionText(report.current)} → ${revisionText(report.target)}: **${OUTCOME_MARK[report.outcome]}**`,
    '',
    `**${checkConclusion(report)}**`,
    '',
  ];
  if (report.containers.length > 0) {
    lines.push(
      ...tableOf(
        ['Severity', 'Verdict', 'Resource', 'Container', `Now (${report.current.revision})`, `After rollback (${report.target.revision})`],
        report.containers.map((entry) => [
          entry.severity,
          entry.severity === 'info' ? entry.verdict : `**${entry.verdict}**`,
          cell(resourceLabel(entry.resource)) + hookSuffix(entry.target ?? entry.current),
          cell(containerCell(entry.container)),
          image(entry.current),
          image(entry.target),
        ]),
      ),
      '',
    );
    const counted = report.containers.filter((entry) => entry.severity !== 'info');
    for (const entry of counted) lines.push(`- ${entry.severity}: ${cell(entry.message)}`);
    if (counted.length > 0) lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function formatTimeline(report: RollbackTimelineReport): string {
  const lines = [
    `### Rollback timeline of \`${report.release.name}\`${namespaceText(report.release.namespace)} (current: revision ${report.current.revision})`,
    '',
    ...tableOf(
      ['Revision', 'Status', 'Updated', 'Chart', 'App version', 'Rollback', 'Why'],
      report.revisions.map((entry) => [
        String(entry.revision.revision),
        cell(entry.revision.status),
        cell(entry.revision.updated),
        cell(entry.revision.chart),
        cell(entry.revision.appVersion),
        entry.outcome ? `**${OUTCOME_WORD[entry.outcome].toLowerCase()}**` : 'current',
        entry.summary ? cell(countingVerdicts(entry.summary, entry.containers)) : '—',
      ]),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export function formatReleaseMarkdown(report: ReleaseReport): string {
  switch (report.kind) {
    case 'diff':
      return formatDiff(report);
    case 'rollback-check':
      return formatCheck(report);
    case 'rollback-timeline':
      return formatTimeline(report);
  }
}
