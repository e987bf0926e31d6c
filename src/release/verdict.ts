/** Rollback verdicts (pure): would rolling back from `current` to `target` run the target's images? */
import type { ClassifiedUse } from '../rules/types.js';
import { containerLabel, imageSide, movingDescription, sameImage } from './describe.js';
import { changeOf } from './diff.js';
import { pairContainers } from './pair.js';
import {
  VERDICTS,
  type Change,
  type ContainerVerdict,
  type RevisionImages,
  type RollbackOutcome,
  type Verdict,
  type VerdictSeverity,
  type VerdictSummary,
} from './types.js';

export interface CheckOptions {
  /** False when the rollback runs with --no-hooks: then no hook runs, pre-/post-rollback included. */
  hooksRun: boolean;
}

export const VERDICT_SEVERITY: Record<Verdict, VerdictSeverity> = {
  restored: 'info',
  'tag-only': 'warning',
  'no-op': 'error',
  'mutable-target': 'error',
  'invalid-target': 'error',
  removed: 'info',
};

const ROLLBACK_EVENTS = new Set(['pre-rollback', 'post-rollback']);

export function hookEvents(hook: string | null): string[] {
  return (hook ?? '').split(',').map((event) => event.trim()).filter((event) => event !== '');
}

/**
 * Whether helm rollback starts this container: every normal resource is applied; of the hooks only pre-rollback and
 * post-rollback run (of the target revision), and none with --no-hooks. Test and install/upgrade hooks do not run.
 */
export function runsOnRollback(use: ClassifiedUse, options: CheckOptions): boolean {
  if (use.hook === null) return true;
  return options.hooksRun && hookEvents(use.hook).some((event) => ROLLBACK_EVENTS.has(event));
}

export function verdictOf(current: ClassifiedUse | null, target: ClassifiedUse | null): Verdict {
  if (!target) return 'removed';
  switch (target.class) {
    case 'digest':
      return 'restored';
    case 'version':
      return 'tag-only';
    case 'invalid':
      return 'invalid-target';
    default:
      return current && sameImage(current, target) ? 'no-op' : 'mutable-target';
  }
}

interface MessageContext {
  verdict: Verdict;
  change: Change;
  current: ClassifiedUse | null;
  target: ClassifiedUse | null;
  revision: number;
  runs: boolean;
  hooksRun: boolean;
}

function verdictMessage(ctx: MessageContext): string {
  const { verdict, change, current, target, revision: n } = ctx;
  const use = (target ?? current)!;
  const who = containerLabel(use.resource, use.container, use.hook);
  const sets = (image: string): string => (change === 'added' ? `re-creates ${who} with ${image}` : `sets ${who} to ${image}`);
  let message: string;
  switch (verdict) {
    case 'removed':
      message = `rolling back to ${n} removes ${who}: revision ${n} does not have it.`;
      break;
    case 'restored':
      message =
        change === 'unchanged'
          ? `rolling back to ${n} keeps ${who} on ${target!.image}: pinned by digest, exactly revision ${n}'s image.`
          : `rolling back to ${n} ${sets(target!.image)}: pinned by digest, so it runs exactly revision ${n}'s image.`;
      break;
    case 'tag-only': {
      const tag = target!.reference?.tag ?? '';
      message =
        change === 'unchanged'
          ? `rolling back to ${n} leaves ${who} on ${target!.image} (both revisions say it): a version tag without a digest, only as fixed as the registry keeps "${tag}".`
          : `rolling back to ${n} ${sets(target!.image)}: a version tag without a digest, so it gets revision ${n}'s image only if nobody re-pushed "${tag}" since.`;
      break;
    }
    case 'no-op': {
      const both = current!.image === target!.image ? target!.image : `${current!.image} and ${target!.image} (the same image)`;
      message =
        `rolling back to ${n} changes nothing for ${who}: both revisions say ${both}. ` +
        `Its pods keep running whatever that tag pulled last; deploy a version tag or a digest to get a known image.`;
      break;
    }
    case 'mutable-target':
      message =
        `rolling back to ${n} ${sets(target!.image)}, ${movingDescription(target!)}: ` +
        `it gets whatever that points to now, which may not be what revision ${n} ran.`;
      break;
    case 'invalid-target':
      message = `rolling back to ${n} ${sets(JSON.stringify(target!.image))}, which is not a valid image reference: its pods could not pull it${target!.parseError ? ` (${target!.parseError})` : ''}.`;
      break;
  }
  if (!ctx.runs && verdict !== 'removed') {
    message += ctx.hooksRun
      ? ` Not run by helm rollback (a "${use.hook}" hook), so it does not count.`
      : ' Not run: hooks are off (--no-hooks), so it does not count.';
  }
  return message;
}

/** One verdict per container of either revision, in pairing order. */
export function checkRollback(current: RevisionImages, target: RevisionImages, options: CheckOptions): ContainerVerdict[] {
  return pairContainers(current.uses, target.uses).map((pair) => {
    const verdict = verdictOf(pair.from, pair.to);
    const change = changeOf(pair.from, pair.to);
    // Hooks that run are the target's: helm rollback executes the target revision's rollback hooks.
    const runs = pair.to ? runsOnRollback(pair.to, options) : pair.from!.hook === null;
    const severity = runs ? VERDICT_SEVERITY[verdict] : 'info';
    const message = verdictMessage({
      verdict,
      change,
      current: pair.from,
      target: pair.to,
      revision: target.info.revision,
      runs,
      hooksRun: options.hooksRun,
    });
    return {
      verdict,
      severity,
      change,
      runsOnRollback: runs,
      message,
      resource: pair.resource,
      container: pair.container,
      current: pair.from ? imageSide(pair.from) : null,
      target: pair.to ? imageSide(pair.to) : null,
    };
  });
}

export function summarizeVerdicts(verdicts: readonly ContainerVerdict[]): VerdictSummary {
  const summary: VerdictSummary = {
    verdicts: Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>,
    error: 0,
    warning: 0,
    info: 0,
  };
  for (const entry of verdicts) {
    summary.verdicts[entry.verdict] += 1;
    summary[entry.severity] += 1;
  }
  return summary;
}

export function outcomeOf(summary: VerdictSummary): RollbackOutcome {
  if (summary.error > 0) return 'unsafe';
  return summary.warning > 0 ? 'warning' : 'safe';
}

export type RollbackFailOn = 'error' | 'warning' | 'never';
export const ROLLBACK_FAIL_ON: readonly RollbackFailOn[] = ['error', 'warning', 'never'];

/** True when the check should fail (exit 1, and `rollback` refuses): errors, or warnings with --fail-on warning. */
export function failsCheck(summary: VerdictSummary, failOn: RollbackFailOn): boolean {
  if (failOn === 'never') return false;
  return summary.error > 0 || (failOn === 'warning' && summary.warning > 0);
}
