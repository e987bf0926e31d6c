/** Markdown audit report (for a pull request comment or a job summary): findings first, then each workload's digests. */
import { describeTarget, podDetail, workloadLabel } from './format-text.js';
import { shortDigest } from './image-id.js';
import type { AuditFinding, AuditReport, ContainerAudit } from './types.js';

const ICON = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;

/** A table cell: no line breaks, pipes escaped, code spans for identifiers. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

function containerLabel(container: Pick<ContainerAudit, 'name' | 'type'> | null): string {
  if (!container) return '';
  return container.type === 'container' ? code(container.name) : `${code(container.name)} (${container.type})`;
}

function findingRow(finding: AuditFinding, allNamespaces: boolean): string {
  return [
    `${ICON[finding.severity]} ${finding.severity}`,
    code(finding.check),
    code(workloadLabel(finding.resource, allNamespaces)),
    containerLabel(finding.container),
    cell(finding.message),
  ].join(' | ');
}

export function formatAuditMarkdown(report: AuditReport): string {
  const { error, warning, info, pods, workloads } = report.summary;
  const all = report.target.allNamespaces;
  const out: string[] = [
    '## imageguard audit',
    '',
    `${cell(describeTarget(report.target))}.`,
    '',
    `**${error} error${error === 1 ? '' : 's'}, ${warning} warning${warning === 1 ? '' : 's'}, ${info} info** ` +
      `(${pods} pod${pods === 1 ? '' : 's'} in ${workloads} workload${workloads === 1 ? '' : 's'})`,
  ];
  if (report.findings.length > 0) {
    out.push('', '| Severity | Check | Workload | Container | Finding |', '|---|---|---|---|---|');
    for (const finding of report.findings) out.push(`| ${findingRow(finding, all)} |`);
  }
  for (const workload of report.workloads) {
    out.push('', `### ${code(workloadLabel(workload.resource, all))}`, '');
    out.push('| Container | Image | Digest | Pods |', '|---|---|---|---|');
    for (const container of workload.containers) {
      const images = container.images.map(({ image, class: imageClass }) => `${code(image)} (${imageClass})`).join(', ');
      const rows = container.digests.map((group, index) => {
        const newest = container.digests.length > 1 && index === container.digests.length - 1 ? ' (newest)' : '';
        return [code(shortDigest(group.digest)) + newest, cell(group.pods.map(podDetail).join(', '))];
      });
      if (container.podsWithoutImageID.length > 0) rows.push(['no imageID yet', cell(container.podsWithoutImageID.join(', '))]);
      rows.forEach(([digest, podsCell], index) => {
        const head = index === 0 ? [containerLabel(container), images] : ['', ''];
        out.push(`| ${[...head, digest, podsCell].join(' | ')} |`);
      });
    }
  }
  return `${out.join('\n')}\n`;
}
