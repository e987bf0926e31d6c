/** The release reports (diff, rollback-check, rollback-check --all); schemas/release-report.schema.json describes them. */
import { VERSION } from '../version.js';
import { countChanges } from './diff.js';
import type { TimelineEntry } from './timeline.js';
import type { Change, ContainerVerdict, DiffEntry, RevisionInfo, RollbackOutcome, VerdictSummary } from './types.js';
import { outcomeOf, summarizeVerdicts } from './verdict.js';

export const RELEASE_REPORT_SCHEMA_VERSION = 1 as const;

export interface ReleaseRef {
  name: string;
  /** The namespace helm stored the release in. */
  namespace: string | null;
  /** `helm version --short` without the build suffix; null when it could not be asked. */
  helmVersion: string | null;
}

interface ReportHead {
  schemaVersion: typeof RELEASE_REPORT_SCHEMA_VERSION;
  tool: { name: 'imageguard'; version: string };
  release: ReleaseRef;
}

export interface DiffReport extends ReportHead {
  kind: 'diff';
  from: RevisionInfo;
  to: RevisionInfo;
  containers: DiffEntry[];
  summary: Record<Change, number>;
}

export interface RollbackCheckReport extends ReportHead {
  kind: 'rollback-check';
  current: RevisionInfo;
  target: RevisionInfo;
  /** False when checked for a rollback with --no-hooks. */
  hooksRun: boolean;
  outcome: RollbackOutcome;
  containers: ContainerVerdict[];
  summary: VerdictSummary;
}

export interface RollbackTimelineReport extends ReportHead {
  kind: 'rollback-timeline';
  current: RevisionInfo;
  hooksRun: boolean;
  revisions: TimelineEntry[];
}

export type ReleaseReport = DiffReport | RollbackCheckReport | RollbackTimelineReport;

export type ReleaseFormat = 'text' | 'json' | 'markdown';
export const RELEASE_FORMATS: readonly ReleaseFormat[] = ['text', 'json', 'markdown'];

// Key order is the JSON order: schemaVersion and kind first.
function head<K extends ReleaseReport['kind']>(kind: K, release: ReleaseRef) {
  return { schemaVersion: RELEASE_REPORT_SCHEMA_VERSION, kind, tool: { name: 'imageguard' as const, version: VERSION }, release };
}

export function diffReport(release: ReleaseRef, from: RevisionInfo, to: RevisionInfo, containers: DiffEntry[]): DiffReport {
  return { ...head('diff', release), from, to, containers, summary: countChanges(containers) };
}

export function rollbackCheckReport(
  release: ReleaseRef,
  current: RevisionInfo,
  target: RevisionInfo,
  containers: ContainerVerdict[],
  hooksRun: boolean,
): RollbackCheckReport {
  const summary = summarizeVerdicts(containers);
  return { ...head('rollback-check', release), current, target, hooksRun, outcome: outcomeOf(summary), containers, summary };
}

export function rollbackTimelineReport(
  release: ReleaseRef,
  current: RevisionInfo,
  revisions: TimelineEntry[],
  hooksRun: boolean,
): RollbackTimelineReport {
  return { ...head('rollback-timeline', release), current, hooksRun, revisions };
}
