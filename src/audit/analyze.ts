/** The pure audit: pods (+ the release manifest) -> workloads and findings. No I/O. */
import type { ClassifyOptions, ImageClass } from '../image/classify.js';
import { AUDIT_CHECKS, type AuditCheck } from './checks.js';
import { digestGroups, groupPods, toWorkloadAudit, type ContainerRun, type WorkloadGroup } from './group.js';
import { shortDigest } from './image-id.js';
import { belongsToRelease, sameWorkload, type ReleaseView } from './release.js';
import type { AuditFinding, AuditSummary, ContainerAudit, DigestGroup, Pod, WorkloadAudit } from './types.js';

export interface AuditInput {
  pods: readonly Pod[];
  /** The release manifest, when a RELEASE was given. */
  release: ReleaseView | null;
  /** Keep only the release's pods (false when the user chose pods with an explicit --selector). */
  selectReleasePods: boolean;
  classify?: ClassifyOptions;
}

export interface AuditResult {
  workloads: WorkloadAudit[];
  findings: AuditFinding[];
  summary: AuditSummary;
}

const MOVING: Partial<Record<ImageClass, string>> = {
  latest: 'the tag "latest"',
  untagged: 'no tag (the runtime pulls "latest")',
  mutable: 'a channel tag',
  floating: 'a partial version',
};

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function podList(group: DigestGroup): string {
  return group.pods.map((pod) => `${pod.pod} (since ${pod.containerStartedAt ?? pod.startTime ?? 'unknown'})`).join(', ');
}

function finding(check: AuditCheck, group: WorkloadGroup, container: ContainerAudit | null, rest: Pick<AuditFinding, 'message' | 'image' | 'digests' | 'pods'>): AuditFinding {
  return {
    check: check.id,
    severity: check.severity,
    resource: group.resource,
    container: container ? { name: container.name, type: container.type } : null,
    ...rest,
  };
}

/** Findings of one container, errors first: mixed digests, release mismatch, mutable reference, no imageID. */
function containerFindings(group: WorkloadGroup, audit: ContainerAudit, runs: readonly ContainerRun[]): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const warnings: AuditFinding[] = [];
  for (const { image, class: imageClass } of audit.images) {
    const digests = digestGroups(runs.filter((run) => run.container.image === image));
    if (digests.length > 1) {
      const newest = digests[digests.length - 1]!;
      const running = digests.reduce((sum, digest) => sum + digest.pods.length, 0);
      findings.push(
        finding(AUDIT_CHECKS.mixedDigests, group, audit, {
          message:
            `${plural(running, 'pod')} run ${digests.length} different images behind ${image}; ` +
            `newest ${shortDigest(newest.digest)} on ${podList(newest)}`,
          image,
          digests: digests.map((digest) => digest.digest),
          pods: newest.pods.map((pod) => pod.pod),
        }),
      );
    }
    const moving = MOVING[imageClass];
    if (moving && digests.length > 0) {
      warnings.push(
        finding(AUDIT_CHECKS.mutableReferenceRunning, group, audit, {
          message:
            `${image} uses ${moving}: its pods run ${plural(digests.length, 'distinct digest')}; ` +
            'any restart or new node may pull a different image',
          image,
          digests: digests.map((digest) => digest.digest),
          pods: [],
        }),
      );
    }
  }
  const pinned = audit.release?.digest ?? null;
  if (pinned !== null) {
    const others = audit.digests.filter((digest) => digest.digest !== pinned);
    if (others.length > 0) {
      const pods = others.flatMap((digest) => digest.pods.map((pod) => pod.pod));
      findings.push(
        finding(AUDIT_CHECKS.releaseDigestMismatch, group, audit, {
          message:
            `the release pins ${audit.release!.image}, but ${plural(pods.length, 'pod')} ${pods.length === 1 ? 'runs' : 'run'} ` +
            `${others.map((digest) => shortDigest(digest.digest)).join(', ')}: ${others.map(podList).join('; ')}`,
          image: audit.release!.image,
          digests: [pinned, ...others.map((digest) => digest.digest)],
          pods,
        }),
      );
    }
  }
  findings.push(...warnings);
  if (audit.podsWithoutImageID.length > 0) {
    findings.push(
      finding(AUDIT_CHECKS.noImageID, group, audit, {
        message: `${plural(audit.podsWithoutImageID.length, 'pod')} without an imageID yet: ${audit.podsWithoutImageID.join(', ')}`,
        image: audit.images.length === 1 ? audit.images[0]!.image : null,
        digests: [],
        pods: audit.podsWithoutImageID,
      }),
    );
  }
  return findings;
}

export type AuditFailOn = 'error' | 'warning' | 'info' | 'never';
const RANK = { error: 3, warning: 2, info: 1 } as const;

/** True when some finding is at or above the --fail-on threshold. */
export function auditFails(findings: readonly AuditFinding[], failOn: AuditFailOn): boolean {
  return failOn !== 'never' && findings.some((item) => RANK[item.severity] >= RANK[failOn]);
}

export function summarizeAudit(findings: readonly AuditFinding[], pods: number, workloads: number): AuditSummary {
  const summary: AuditSummary = { error: 0, warning: 0, info: 0, pods, workloads };
  for (const item of findings) summary[item.severity] += 1;
  return summary;
}

export function audit(input: AuditInput): AuditResult {
  const release = input.release;
  const pods = release && input.selectReleasePods ? input.pods.filter((pod) => belongsToRelease(pod, release)) : input.pods;
  const groups = groupPods(pods, release, input.classify);
  const findings = groups.flatMap((group) => group.containers.flatMap(({ audit: container, runs }) => containerFindings(group, container, runs)));
  for (const workload of release?.workloads ?? []) {
    if (groups.some((group) => sameWorkload(workload, group.resource))) continue;
    const where = workload.namespace ? ` in namespace ${workload.namespace}` : '';
    findings.push({
      check: AUDIT_CHECKS.releaseWorkloadWithoutPods.id,
      severity: AUDIT_CHECKS.releaseWorkloadWithoutPods.severity,
      message: `${workload.kind}/${workload.name} of release ${release!.name} has no pods${where}; its images were not checked`,
      resource: workload,
      container: null,
      image: null,
      digests: [],
      pods: [],
    });
  }
  const workloads = groups.map(toWorkloadAudit);
  const podCount = groups.reduce((sum, group) => sum + group.pods.length, 0);
  return { workloads, findings, summary: summarizeAudit(findings, podCount, workloads.length) };
}
