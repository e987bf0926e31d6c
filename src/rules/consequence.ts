import type { ClassifiedUse } from './types.js';

/**
 * The pull policy the kubelet applies: the explicit one, else Always for `latest` or no tag
 * (Kubernetes' defaulting), else IfNotPresent.
 */
export function effectivePullPolicy(use: ClassifiedUse): { policy: string; implicit: boolean } | null {
  if (use.container.type === 'other') return null;
  if (use.imagePullPolicy) return { policy: use.imagePullPolicy, implicit: false };
  const ref = use.reference;
  const movesByDefault = ref !== null && ref.digest === null && (ref.tag === null || ref.tag === 'latest');
  return { policy: movesByDefault ? 'Always' : 'IfNotPresent', implicit: true };
}

/** One sentence on what a moving tag does at runtime under this use's pull policy. */
export function runtimeConsequence(use: ClassifiedUse): string {
  const pull = effectivePullPolicy(use);
  if (!pull) return 'Whatever pulls it gets what the tag points to at that moment.';
  const named = pull.implicit ? `imagePullPolicy ${pull.policy} (the default here)` : `imagePullPolicy ${pull.policy}`;
  switch (pull.policy) {
    case 'Always':
      return `With ${named}, every pod restart may pull different code, and helm rollback cannot bring the old image back.`;
    case 'Never':
      return `With ${named}, each node runs whatever copy it already has, so pods of one workload can differ.`;
    default:
      return `With ${named}, each node keeps the copy it pulled first, so pods of one workload can run different images.`;
  }
}
