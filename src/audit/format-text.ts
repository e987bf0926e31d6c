/** Human audit report: workload, container, then each digest with the pods on it, findings under their container. */
import { stylizer, type StyleName, type Stylize } from '../report/style.js';
import { shortDigest } from './image-id.js';
import type { AuditFinding, AuditReport, AuditSeverity, AuditTarget, ContainerAudit, PodImage, WorkloadAudit } from './types.js';

export interface AuditTextOptions {
  color: boolean;
}

const SEVERITY_STYLE: Record<AuditSeverity, StyleName> = { error: 'red', warning: 'yellow', info: 'cyan' };

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function describeTarget(target: AuditTarget): string {
  const parts: string[] = [];
  if (target.release) parts.push(`release ${target.release}${target.revision !== null ? ` revision ${target.revision}` : ''}`);
  if (target.allNamespaces) parts.push('all namespaces');
  else if (target.namespace) parts.push(`namespace ${target.namespace}`);
  else if (target.pods === 'kubectl') parts.push("kubectl's current namespace");
  if (target.context) parts.push(`context ${target.context}`);
  if (target.selector) parts.push(`selector ${target.selector}`);
  parts.push(target.pods === 'kubectl' ? 'pods from kubectl' : `pods from ${target.pods === '-' ? 'stdin' : target.pods}`);
  return parts.join(', ');
}

export function workloadLabel(workload: Pick<WorkloadAudit['resource'], 'kind' | 'name' | 'namespace'>, allNamespaces: boolean): string {
  const prefix = allNamespaces && workload.namespace ? `${workload.namespace}/` : '';
  return `${prefix}${workload.kind}/${workload.name}`;
}

export function podDetail(pod: PodImage): string {
  const details = [`started ${pod.startTime ?? 'unknown'}`];
  if (pod.restartCount > 0) {
    details.push(`${plural(pod.restartCount, 'restart')}${pod.containerStartedAt ? `, running since ${pod.containerStartedAt}` : ''}`);
  }
  if (pod.node) details.push(`node ${pod.node}`);
  return `${pod.pod} (${details.join(', ')})`;
}

function sameContainer(finding: AuditFinding, workload: WorkloadAudit, container: ContainerAudit): boolean {
  const { resource } = workload;
  return (
    finding.container?.name === container.name &&
    finding.container.type === container.type &&
    finding.resource.kind === resource.kind &&
    finding.resource.name === resource.name &&
    finding.resource.namespace === resource.namespace
  );
}

function pushFinding(out: string[], s: Stylize, finding: AuditFinding, indent: string): void {
  out.push(`${indent}${s(SEVERITY_STYLE[finding.severity], finding.severity)} ${s('dim', finding.check)} ${finding.message}`);
}

function pushContainer(out: string[], s: Stylize, report: AuditReport, workload: WorkloadAudit, container: ContainerAudit): void {
  const type = container.type === 'container' ? '' : ` (${container.type})`;
  const images = container.images.map(({ image, class: imageClass }) => `${image} ${s('dim', `[${imageClass}]`)}`).join(', ');
  out.push(`  ${container.name}${type}: ${images}`);
  if (container.release) out.push(s('dim', `    release: ${container.release.image}`));
  container.digests.forEach((group, index) => {
    const newest = container.digests.length > 1 && index === container.digests.length - 1 ? s('bold', ' newest') : '';
    out.push(`    ${shortDigest(group.digest)}  ${plural(group.pods.length, 'pod')}${newest}`);
    for (const pod of group.pods) out.push(s('dim', `      ${podDetail(pod)}`));
  });
  if (container.podsWithoutImageID.length > 0) {
    out.push(s('dim', `    no imageID yet: ${container.podsWithoutImageID.join(', ')}`));
  }
  for (const finding of report.findings.filter((item) => sameContainer(item, workload, container))) {
    pushFinding(out, s, finding, '    ');
  }
}

export function formatAuditText(report: AuditReport, options: AuditTextOptions): string {
  const s = stylizer(options.color);
  const out: string[] = [s('bold', `imageguard audit: ${describeTarget(report.target)}`)];
  if (report.workloads.length === 0) out.push(s('dim', '  no pods found'));
  for (const workload of report.workloads) {
    out.push('');
    out.push(`${s('bold', workloadLabel(workload.resource, report.target.allNamespaces))}  ${s('dim', plural(workload.pods, 'pod'))}`);
    for (const container of workload.containers) pushContainer(out, s, report, workload, container);
  }
  const loose = report.findings.filter((item) => item.container === null);
  if (loose.length > 0) {
    out.push('');
    for (const finding of loose) pushFinding(out, s, finding, '');
  }
  const { error, warning, info, pods, workloads } = report.summary;
  const counts = `${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info`;
  const style: StyleName = error > 0 ? 'red' : warning > 0 ? 'yellow' : 'green';
  out.push('');
  out.push(`${s(style, counts)} (${plural(pods, 'pod')} in ${plural(workloads, 'workload')})`);
  return `${out.join('\n')}\n`;
}
