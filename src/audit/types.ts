/**
 * The audit's data: pods as kubectl reports them (only the fields the audit reads), and the versioned
 * JSON report (`imageguard audit --format json`, schemas/audit-report.schema.json).
 */
import type { ImageClass } from '../image/classify.js';
import type { ContainerType } from '../manifest/types.js';

export const AUDIT_SCHEMA_VERSION = 1;

/** A controller owner reference, as in `metadata.ownerReferences[]`. */
export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
}

/** One container of one pod: the image it asks for (spec) and the image it runs (status.imageID). */
export interface PodContainer {
  name: string;
  type: Exclude<ContainerType, 'other'>;
  /** `spec.*containers[].image`: the reference the workload asks for. */
  image: string;
  /** `status.*containerStatuses[].imageID` exactly as reported; null when the container has none (not started). */
  imageID: string | null;
  /** When this container last started (`state.running|terminated.startedAt`); null when unknown. */
  startedAt: string | null;
  restartCount: number;
}

export interface Pod {
  name: string;
  namespace: string | null;
  labels: Readonly<Record<string, string>>;
  /** The controller owner (or the first owner when none is marked controller); null for a bare pod. */
  owner: OwnerRef | null;
  node: string | null;
  /** `status.startTime`. */
  startTime: string | null;
  phase: string | null;
  containers: PodContainer[];
}

export interface WorkloadRef {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
}

export type AuditSeverity = 'error' | 'warning' | 'info';

/** One pod running one container of a workload. */
export interface PodImage {
  pod: string;
  node: string | null;
  startTime: string | null;
  containerStartedAt: string | null;
  restartCount: number;
  image: string;
  imageID: string;
}

/** Pods of one workload container that run the same digest, oldest first. */
export interface DigestGroup {
  digest: string;
  /** Repositories named by the imageIDs (empty when the runtime reported a bare digest). */
  repositories: string[];
  /** The earliest time a pod (or a restarted container) started on this digest. */
  firstSeen: string | null;
  pods: PodImage[];
}

export interface PinnedImage {
  image: string;
  digest: string;
}

export interface ContainerAudit {
  name: string;
  type: Exclude<ContainerType, 'other'>;
  /** The distinct references the pods ask for, e.g. `["app:latest"]` (two during a rollout). */
  images: { image: string; class: ImageClass }[];
  /** The release manifest's image for this container, when a release was read and names it. */
  release: { image: string; digest: string | null } | null;
  /** Oldest first; the last one is the newest. */
  digests: DigestGroup[];
  /** Pods whose container reports no imageID yet (pending, pulling, failing to pull). */
  podsWithoutImageID: string[];
}

export interface WorkloadAudit {
  resource: WorkloadRef;
  pods: number;
  containers: ContainerAudit[];
}

export interface AuditFinding {
  check: string;
  severity: AuditSeverity;
  message: string;
  resource: WorkloadRef;
  /** Null for workload-level findings (a release workload with no pods). */
  container: { name: string; type: Exclude<ContainerType, 'other'> } | null;
  image: string | null;
  /** The digests the finding is about (running ones; for a release mismatch, the pinned one first). */
  digests: string[];
  /** Pods the finding names (e.g. the pods on the newest digest). */
  pods: string[];
}

export interface AuditTarget {
  release: string | null;
  revision: number | null;
  namespace: string | null;
  allNamespaces: boolean;
  context: string | null;
  /** `kubectl` or the --pods file (`-` for stdin). */
  pods: string;
  selector: string | null;
  helmVersion: string | null;
}

export interface AuditSummary {
  error: number;
  warning: number;
  info: number;
  pods: number;
  workloads: number;
}

export interface AuditReport {
  schemaVersion: typeof AUDIT_SCHEMA_VERSION;
  tool: { name: 'imageguard'; version: string };
  target: AuditTarget;
  workloads: WorkloadAudit[];
  findings: AuditFinding[];
  summary: AuditSummary;
}

export type AuditFormat = 'text' | 'json' | 'markdown';
export const AUDIT_FORMATS: readonly AuditFormat[] = ['text', 'json', 'markdown'];
