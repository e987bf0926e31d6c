/** The audit's checks as data: stable ids (never reused), severity and what each means. docs/audit.md lists them. */
import type { AuditSeverity } from './types.js';

export interface AuditCheck {
  id: string;
  severity: AuditSeverity;
  description: string;
  remediation: string;
}

export const AUDIT_CHECKS = {
  mixedDigests: {
    id: 'mixed-digests',
    severity: 'error',
    description: 'Pods of one workload ask for the same image reference but run different image digests.',
    remediation: 'Pin the image to an exact version or digest and roll the workload out again so every pod runs it.',
  },
  releaseDigestMismatch: {
    id: 'release-digest-mismatch',
    severity: 'error',
    description: 'A pod runs a digest other than the one the release manifest pins for its container.',
    remediation: 'Find what changed the pod (kubectl set image, a mutating webhook) and upgrade or roll back the release.',
  },
  mutableReferenceRunning: {
    id: 'mutable-reference-running',
    severity: 'warning',
    description: 'Pods run an image through a mutable reference (latest, no tag, a channel or a partial version).',
    remediation: 'Pin the running digest (or an exact version) in the chart values and upgrade the release.',
  },
  noImageID: {
    id: 'no-image-id',
    severity: 'info',
    description: 'A container reports no imageID yet (pending, pulling, or failing to pull), so its image is unknown.',
    remediation: 'Check the pod events (kubectl describe pod) and audit again once it runs.',
  },
  releaseWorkloadWithoutPods: {
    id: 'release-workload-without-pods',
    severity: 'info',
    description: 'A workload of the release has no pods in the audited pod list, so its images were not checked.',
    remediation: 'Check the namespace (-n, --all-namespaces) and whether the workload is scaled to zero.',
  },
} as const satisfies Record<string, AuditCheck>;

export const AUDIT_CHECK_LIST: readonly AuditCheck[] = Object.values(AUDIT_CHECKS);
