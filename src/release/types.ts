/** What the release commands know about revisions, container pairs, diffs and rollback verdicts. */
import type { ImageClass } from '../image/classify.js';
import type { ContainerRef, ResourceRef } from '../manifest/types.js';
import type { ReferenceParts } from '../report/types.js';
import type { ClassifiedUse } from '../rules/types.js';

/** One revision as `helm history` lists it. */
export interface RevisionInfo {
  revision: number;
  status: string;
  /** `name-version` as helm shows it, e.g. `helm-create-0.1.0`. */
  chart: string;
  appVersion: string;
  updated: string;
  description: string;
}

/** Every image use of one revision: its manifest and its hooks. */
export interface RevisionImages {
  info: RevisionInfo;
  uses: ClassifiedUse[];
}

/** The same container in two revisions; either side is null when only the other revision has it. */
export interface ContainerPair {
  /** Pairing identity: apiVersion group, kind, namespace, name, container type and name. */
  key: string;
  resource: ResourceRef;
  container: ContainerRef;
  from: ClassifiedUse | null;
  to: ClassifiedUse | null;
}

/** One side of a pair as the reports show it. */
export interface ImageSide {
  image: string;
  class: ImageClass;
  reference: ReferenceParts | null;
  imagePullPolicy: string | null;
  /** `helm.sh/hook` of the resource (e.g. `test`, `pre-install,pre-upgrade`); null for normal resources. */
  hook: string | null;
  template: string | null;
}

export type Change = 'added' | 'removed' | 'changed' | 'unchanged';
export const CHANGES: readonly Change[] = ['added', 'removed', 'changed', 'unchanged'];

export interface DiffEntry {
  change: Change;
  resource: ResourceRef;
  container: ContainerRef;
  from: ImageSide | null;
  to: ImageSide | null;
}

/**
 * What rolling back does to one container's image:
 * - restored: the target pins a digest, so the rollback runs exactly the target's image;
 * - tag-only: the target has an exact version tag but no digest: right only if nobody re-pushed the tag (warning);
 * - no-op: current and target name the same mutable reference: the rollback changes nothing (error);
 * - mutable-target: the target uses a moving tag (latest, none, channel, partial version): you get whatever it
 *   points to now (error);
 * - invalid-target: the target's image is not a valid reference; its pods could not pull it (error);
 * - removed: the target does not have this container; the rollback deletes it (info).
 */
export type Verdict = 'restored' | 'tag-only' | 'no-op' | 'mutable-target' | 'invalid-target' | 'removed';
export const VERDICTS: readonly Verdict[] = ['restored', 'tag-only', 'no-op', 'mutable-target', 'invalid-target', 'removed'];

export type VerdictSeverity = 'error' | 'warning' | 'info';

export interface ContainerVerdict {
  verdict: Verdict;
  /** The verdict's severity, or info for a hook that this rollback does not run. */
  severity: VerdictSeverity;
  /** What the rollback does to the container: from the current revision to the target. */
  change: Change;
  /** False for hooks the rollback does not run (all but pre-/post-rollback, or every hook with --no-hooks). */
  runsOnRollback: boolean;
  message: string;
  resource: ResourceRef;
  container: ContainerRef;
  current: ImageSide | null;
  target: ImageSide | null;
}

export interface VerdictSummary {
  verdicts: Record<Verdict, number>;
  error: number;
  warning: number;
  info: number;
}

export type RollbackOutcome = 'safe' | 'warning' | 'unsafe';
