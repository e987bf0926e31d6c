/** `rollback-check --all`: what rolling back to each revision of the history would do (pure). */
import type { CheckOptions } from './verdict.js';
import { checkRollback, outcomeOf, summarizeVerdicts } from './verdict.js';
import type { ContainerVerdict, RevisionImages, RevisionInfo, RollbackOutcome, VerdictSummary } from './types.js';

export interface TimelineEntry {
  revision: RevisionInfo;
  /** The revision a rollback would replace; it has no verdicts. */
  current: boolean;
  outcome: RollbackOutcome | null;
  summary: VerdictSummary | null;
  containers: ContainerVerdict[];
}

/** Every revision oldest first; the current one is marked, the others carry the verdicts of rolling back to them. */
export function rollbackTimeline(current: RevisionImages, revisions: readonly RevisionImages[], options: CheckOptions): TimelineEntry[] {
  return [...revisions]
    .sort((a, b) => a.info.revision - b.info.revision)
    .map((revision) => {
      if (revision.info.revision === current.info.revision) {
        return { revision: revision.info, current: true, outcome: null, summary: null, containers: [] };
      }
      const containers = checkRollback(current, revision, options);
      const summary = summarizeVerdicts(containers);
      return { revision: revision.info, current: false, outcome: outcomeOf(summary), summary, containers };
    });
}
