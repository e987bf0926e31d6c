/** Shared by `pin` and `upgrade --pin`: which rendered images to pin, and resolving them. */
import { UsageError } from '../errors.js';
import { extractImages } from '../manifest/extract.js';
import type { ManifestDocument } from '../manifest/types.js';
import { planPins, type PinPlan } from '../pin/images.js';
import { DEFAULT_REGISTRY_JOBS, resolveAll } from '../pin/resolve.js';
import type { Io } from './io.js';
import { registryClient, type RegistrySettings } from './registry-options.js';

/** The pin plan of a rendered chart; a pod-spec image that is no valid reference is a usage error (exit 2). */
export function pinPlanOf(docs: readonly ManifestDocument[], namespace: string | null): PinPlan {
  // Only pod-spec images are pinned; other `image` fields are not even looked at.
  const uses = extractImages(docs, { defaultNamespace: namespace, isImageReference: () => false });
  const plan = planPins(uses);
  const bad = plan.invalid[0];
  if (bad) {
    const where = `${bad.use.resource.kind}/${bad.use.resource.name} container ${bad.use.container.name}`;
    const shown = bad.use.isString ? `"${bad.use.image}"` : bad.use.image || 'nothing';
    throw new UsageError(`cannot pin ${shown} (${where}): ${bad.reason}`);
  }
  return plan;
}

/** Resolves every image of the plan (exit 4 on registry failures, naming each image). */
export async function resolvePlan(plan: PinPlan, settings: RegistrySettings, io: Io, jobs = DEFAULT_REGISTRY_JOBS): Promise<Map<string, string>> {
  const client = registryClient(settings, io);
  try {
    return await resolveAll(client, plan.targets, jobs);
  } finally {
    client.close();
  }
}
