import type { Finding, ImageRecord, Report } from './types.js';
import { stylizer, type StyleName } from './style.js';

export interface TextOptions {
  color: boolean;
}

const SEVERITY_STYLE: Record<Finding['severity'], StyleName> = { error: 'red', warning: 'yellow', info: 'cyan' };

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function sameUse(finding: Finding, image: ImageRecord): boolean {
  return (
    finding.target === image.target &&
    finding.image === image.image &&
    finding.container?.name === image.container.name &&
    finding.container?.type === image.container.type &&
    finding.resource?.kind === image.resource.kind &&
    finding.resource?.name === image.resource.name &&
    finding.resource?.namespace === image.resource.namespace
  );
}

/** Human report: grouped by chart, then workload, then container; findings under the image they concern. */
export function formatText(report: Report, options: TextOptions): string {
  const s = stylizer(options.color);
  const out: string[] = [];
  const pushFinding = (finding: Finding): void => {
    out.push(`      ${s(SEVERITY_STYLE[finding.severity], finding.severity)} ${s('dim', finding.ruleId)} ${finding.message}`);
    for (const value of finding.values) {
      const where = value.line ? `${value.file}:${value.line}${value.column ? `:${value.column}` : ''}` : value.file;
      out.push(s('dim', `        values: ${where} (${value.path})`));
    }
  };
  report.targets.forEach((target, index) => {
    const images = report.images.filter((image) => image.target === index);
    const label = target.chart ?? `manifest ${target.manifest ?? '-'}`;
    out.push(s('bold', label) + s('dim', target.release ? `  (release ${target.release})` : ''));
    if (images.length === 0) out.push(s('dim', '  no images found'));
    let workload = '';
    for (const image of images) {
      const key = `${image.resource.kind}/${image.resource.name}`;
      if (key !== workload) {
        workload = key;
        const hook = image.hook ? s('dim', `  [hook: ${image.hook}]`) : '';
        out.push(`  ${key}${hook}` + s('dim', image.template ? `  ${image.template}` : ''));
      }
      const findings = report.findings.filter((finding) => sameUse(finding, image));
      const mark = findings.length === 0 ? s('green', 'ok') : s(SEVERITY_STYLE[findings[0]!.severity], findings[0]!.severity);
      const type = image.container.type === 'container' ? '' : ` (${image.container.type})`;
      out.push(`    ${image.container.name}${type}: ${image.image} ${s('dim', `[${image.class}]`)} ${mark}`);
      for (const finding of findings) pushFinding(finding);
    }
    // Chart-level findings (Chart.yaml) and latent ones (values not rendered) have no workload.
    for (const finding of report.findings.filter((f) => f.target === index && f.resource === null)) {
      const where = finding.file ? `${finding.file}${finding.line ? `:${finding.line}` : ''}` : '';
      out.push(`  ${where}${finding.latent ? s('dim', '  (in values, not rendered)') : ''}`);
      pushFinding(finding);
    }
    out.push('');
  });
  const { error, warning, info } = report.summary;
  const counts = [plural(error, 'error'), plural(warning, 'warning'), `${info} info`].join(', ');
  const scope = `${plural(report.images.length, 'image')} in ${plural(report.targets.length, 'target')}`;
  const suppressed = report.suppressed.length > 0 ? `, ${report.suppressed.length} suppressed` : '';
  out.push(`${error > 0 ? s('red', counts) : warning > 0 ? s('yellow', counts) : s('green', counts)} (${scope}${suppressed})`);
  return `${out.join('\n')}\n`;
}
