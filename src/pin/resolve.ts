/** Resolves many images with at most `jobs` registry requests in flight; every failure is reported, not just the first. */
import { mapLimited } from '../cli/concurrency.js';
import { RegistryError } from '../errors.js';
import type { Reference } from '../image/reference.js';
import type { RegistryClient } from '../registry/client.js';

/** Default number of images resolved at once. */
export const DEFAULT_REGISTRY_JOBS = 8;

type Outcome = { key: string; digest: string } | { key: string; error: unknown };

/** Results keep the order of `targets`. Throws one RegistryError (exit 4) naming each image that failed. */
export async function resolveAll(
  client: RegistryClient,
  targets: ReadonlyMap<string, Reference>,
  jobs = DEFAULT_REGISTRY_JOBS,
): Promise<Map<string, string>> {
  const outcomes = await mapLimited([...targets], jobs, async ([key, reference]): Promise<Outcome> => {
    try {
      return { key, digest: await client.resolve(reference) };
    } catch (error) {
      return { key, error };
    }
  });
  const failures = outcomes.flatMap((outcome) => ('error' in outcome ? [outcome.error] : []));
  const first = failures[0];
  if (first !== undefined) {
    if (!(first instanceof RegistryError) || failures.length === 1) throw first;
    const lines = failures.map((error) => (error instanceof Error ? error.message : String(error)));
    // Hints (where credentials were looked for, ...) once each, after the images.
    const hints = new Set(failures.flatMap((error) => (error instanceof RegistryError && error.detail ? [error.detail] : [])));
    throw new RegistryError(`cannot resolve ${failures.length} images`, { detail: [...lines, ...hints].join('\n') });
  }
  return new Map(outcomes.map((outcome) => [outcome.key, 'digest' in outcome ? outcome.digest : '']));
}
