/** Release reports as plain text tables for a terminal (pure). */
import { stylizer, type StyleName, type Stylize } from '../report/style.js';
import { containerCell, resourceLabel } from './describe.js';
import type { DiffReport, ReleaseReport, RollbackCheckReport, RollbackTimelineReport } from './report.js';
import type { Change, ContainerVerdict, DiffEntry, RollbackOutcome, VerdictSeverity } from './types.js';
import { checkConclusion, countingVerdicts, namespaceText, OUTCOME_WORD, revisionText, sideText } from './words.js';

export interface TextOptions {
  color: boolean;
}

interface Cell {
  text: string;
  style?: StyleName;
}

/** Left-aligned columns two spaces apart; styling after padding so colours do not skew the widths. */
function table(rows: readonly Cell[][], style: Stylize): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.text.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => {
          const padded = i === row.length - 1 ? cell.text : cell.text.padEnd(widths[i]!);
          return cell.style ? style(cell.style, padded) : padded;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const CHANGE_STYLE: Record<Change, StyleName> = { added: 'green', removed: 'red', changed: 'yellow', unchanged: 'dim' };
const SEVERITY_STYLE: Record<VerdictSeverity, StyleName> = { error: 'red', warning: 'yellow', info: 'dim' };
const OUTCOME_STYLE: Record<RollbackOutcome, StyleName> = { safe: 'green', warning: 'yellow', unsafe: 'red' };
const SEVERITY_ORDER: Record<VerdictSeverity, number> = { error: 0, warning: 1, info: 2 };

function resourceCell(entry: { resource: DiffEntry['resource']; from: DiffEntry['from']; to: DiffEntry['to'] }): string {
  const hook = (entry.to ?? entry.from)?.hook;
  return hook ? `${resourceLabel(entry.resource)} (hook ${hook})` : resourceLabel(entry.resource);
}

function formatDiff(report: DiffReport, style: Stylize): string {
  const { from, to } = report;
  const lines = [
    style('bold', `Release ${report.release.name}${namespaceText(report.release.namespace)}: images of ${revisionText(from)} -> ${revisionText(to)}`),
  ];
  if (report.containers.length === 0) {
    lines.push('Neither revision has any container image.');
  } else {
    const header: Cell[] = ['CHANGE', 'RESOURCE', 'CONTAINER', `REVISION ${from.revision}`, `REVISION ${to.revision}`].map((text) => ({ text, style: 'bold' }));
    const rows = report.containers.map((entry): Cell[] => [
      { text: entry.change, style: CHANGE_STYLE[entry.change] },
      { text: resourceCell(entry) },
      { text: containerCell(entry.container) },
      { text: sideText(entry.from) },
      { text: sideText(entry.to) },
    ]);
    lines.push(table([header, ...rows], style));
  }
  const s = report.summary;
  lines.push(`${s.changed} changed, ${s.added} added, ${s.removed} removed, ${s.unchanged} unchanged`);
  return `${lines.join('\n')}\n`;
}

function verdictRows(containers: readonly ContainerVerdict[], style: Stylize): string {
  const sorted = [...containers].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const rows = sorted.map((entry): Cell[] => [
    { text: entry.severity, style: SEVERITY_STYLE[entry.severity] },
    { text: entry.verdict },
    { text: entry.message },
  ]);
  return table(rows, style)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function formatCheck(report: RollbackCheckReport, style: Stylize): string {
  const lines = [
    style(
      'bold',
      `Rolling back release ${report.release.name}${namespaceText(report.release.namespace)} from ${revisionText(report.current)} to ${revisionText(report.target)}:`,
    ),
  ];
  if (report.containers.length > 0) lines.push(verdictRows(report.containers, style));
  lines.push(style(OUTCOME_STYLE[report.outcome], checkConclusion(report)));
  return `${lines.join('\n')}\n`;
}

function formatTimeline(report: RollbackTimelineReport, style: Stylize): string {
  const lines = [
    style(
      'bold',
      `Release ${report.release.name}${namespaceText(report.release.namespace)}, current ${revisionText(report.current)}. Rolling back to each revision:`,
    ),
  ];
  const header: Cell[] = ['REVISION', 'STATUS', 'UPDATED', 'CHART', 'APP VERSION', 'ROLLBACK', 'WHY'].map((text) => ({ text, style: 'bold' }));
  const rows = report.revisions.map((entry): Cell[] => {
    const r = entry.revision;
    const verdict: Cell = entry.outcome ? { text: OUTCOME_WORD[entry.outcome], style: OUTCOME_STYLE[entry.outcome] } : { text: 'current', style: 'dim' };
    const why = entry.summary ? countingVerdicts(entry.summary, entry.containers) : 'the revision a rollback replaces';
    return [{ text: String(r.revision) }, { text: r.status }, { text: r.updated }, { text: r.chart }, { text: r.appVersion }, verdict, { text: why }];
  });
  lines.push(table([header, ...rows], style));
  const safe = report.revisions.filter((entry) => entry.outcome === 'safe').map((entry) => entry.revision.revision);
  lines.push(
    safe.length > 0
      ? `Revisions a rollback restores exactly: ${safe.join(', ')}.`
      : `No revision is pinned by digest: no rollback is proven to restore its images. Details: imageguard rollback-check ${report.release.name} REVISION`,
  );
  return `${lines.join('\n')}\n`;
}

export function formatReleaseText(report: ReleaseReport, options: TextOptions): string {
  const style = stylizer(options.color);
  switch (report.kind) {
    case 'diff':
      return formatDiff(report, style);
    case 'rollback-check':
      return formatCheck(report, style);
    case 'rollback-timeline':
      return formatTimeline(report, style);
  }
}

