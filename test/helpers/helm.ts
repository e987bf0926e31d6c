// Shared helpers for tests that run the real Helm binaries fetched into .helm/ by `npm run fetch-helm`.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/helpers/helm.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Notes shared between the engineers of this project (HELM-FACTS.md lives here). */
export const sharedDir = resolve(repoRoot, '..', 'shared');

export interface HelmBinary {
  /** As `helm version --short` prints it, without the `+g<commit>` suffix. */
  readonly version: 'v3.17.3' | 'v4.1.4';
  readonly major: 3 | 4;
  /** Absolute path of the binary. */
  readonly bin: string;
}

export const HELM_VERSIONS: readonly HelmBinary[] = [
  { version: 'v3.17.3', major: 3, bin: join(repoRoot, '.helm', 'v3.17.3', 'helm') },
  { version: 'v4.1.4', major: 4, bin: join(repoRoot, '.helm', 'v4.1.4', 'helm') },
];

/**
 * Throw (never skip) when a Helm binary is missing: call it from `beforeAll` of every suite that runs helm.
 */
export function assertHelmBinaries(helms: readonly HelmBinary[] = HELM_VERSIONS): void {
  const missing = helms.filter((h) => !existsSync(h.bin)).map((h) => h.bin);
  if (missing.length > 0) {
    throw new Error(`Helm binary missing: ${missing.join(', ')}. Run "npm run fetch-helm" first.`);
  }
}

const TEMP_PREFIX = 'imageguard-helm-';

/**
 * Fresh, empty Helm home folders under the OS temp dir, as environment variables for a helm child process.
 *
 * HELM_PLUGINS is `$HELM_DATA_HOME/plugins` on purpose: `helm plugin install` writes there in Helm 4 (which
 * ignores HELM_PLUGINS when installing), Helm 3 installs into HELM_PLUGINS, and both load from HELM_PLUGINS.
 * Remove the folders with `removeHelmEnv`.
 */
export async function isolatedHelmEnv(): Promise<Record<string, string>> {
  const base = await mkdtemp(join(tmpdir(), TEMP_PREFIX));
  const env = {
    HELM_DATA_HOME: join(base, 'data'),
    HELM_CONFIG_HOME: join(base, 'config'),
    HELM_CACHE_HOME: join(base, 'cache'),
    HELM_PLUGINS: join(base, 'data', 'plugins'),
  };
  for (const dir of Object.values(env)) await mkdir(dir, { recursive: true });
  return env;
}

/** Delete the folders made by `isolatedHelmEnv` (plugin symlinks are removed, never followed). */
export async function removeHelmEnv(env: Record<string, string>): Promise<void> {
  const data = env.HELM_DATA_HOME;
  if (!data) return;
  const base = dirname(data);
  if (!base.startsWith(join(tmpdir(), TEMP_PREFIX)) || base.includes(`${sep}..`)) return;
  await rm(base, { recursive: true, force: true });
}
