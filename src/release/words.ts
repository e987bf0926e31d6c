/** Wordings shared by the text and markdown release formatters (pure). */
import type { RollbackCheckReport } from './report.js';
import type { TimelineEntry } from './timeline.js';
import type { ImageSide, RevisionInfo, RollbackOutcome, Verdict, VerdictSummary } from './types.js';
import { VERDICTS } from './types.js';
import { VERDICT_SEVERITY } from './verdict.js';

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function sideText(side: ImageSide | null): string {
  return side ? `${side.image} (${side.class})` : '-';
}

export function revisionText(info: RevisionInfo): string {
  const facts = [info.status, info.chart].filter((fact) => fact !== '');
  return `revision ${info.revision}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
}

export function namespaceText(namespace: string | null): string {
  return namespace ? ` (namespace ${namespace})` : '';
}

export const OUTCOME_WORD: Record<RollbackOutcome, string> = { safe: 'SAFE', warning: 'NOT PROVEN', unsafe: 'UNSAFE' };

/** `1 no-op, 2 mutable-target` over the verdicts that count (error and warning severities). */
export function countingVerdicts(summary: VerdictSummary, entries: TimelineEntry['containers']): string {
  const counts = new Map<Verdict, number>();
  for (const entry of entries) {
    if (entry.severity === 'info') continue;
    counts.set(entry.verdict, (counts.get(entry.verdict) ?? 0) + 1);
  }
  const parts = VERDICTS.filter((verdict) => counts.has(verdict)).map((verdict) => `${counts.get(verdict)} ${verdict}`);
  if (parts.length > 0) return parts.join(', ');
  return summary.verdicts.restored > 0 ? 'every image pinned by digest' : 'no images to restore';
}

/** The one-line answer of a rollback check. */
export function checkConclusion(report: Pick<RollbackCheckReport, 'outcome' | 'summary' | 'containers' | 'target'>): string {
  const n = report.target.revision;
  const counted = report.containers.filter((entry) => entry.severity !== 'info');
  switch (report.outcome) {
    case 'unsafe': {
      const errors = counted.filter((entry) => VERDICT_SEVERITY[entry.verdict] === 'error');
      return `${OUTCOME_WORD.unsafe}: ${plural(errors.length, 'container')} would not get revision ${n}'s image (${countingVerdicts(report.summary, errors)}).`;
    }
    case 'warning':
      return (
        `${OUTCOME_WORD.warning}: ${plural(report.summary.warning, 'container')} ${report.summary.warning === 1 ? 'uses' : 'use'} a version tag without a digest; ` +
        `the rollback restores revision ${n}'s images only if those tags were not re-pushed since.`
      );
    case 'safe':
      return report.summary.verdicts.restored > 0
        ? `${OUTCOME_WORD.safe}: every container the rollback starts is pinned by digest to revision ${n}'s image.`
        : `${OUTCOME_WORD.safe}: the rollback starts no container image of revision ${n}.`;
  }
}
