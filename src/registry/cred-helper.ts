/**
 * Docker credential helpers (`credsStore`, `credHelpers`): `docker-credential-<name> get` reads the server URL on
 * stdin and prints `{"ServerURL","Username","Secret"}`. This is the only process the registry client starts: argv
 * array, no shell, a timeout. The helper's output is a secret: it is parsed here and never printed; on failure only
 * the helper's stderr's first line is shown (helpers print "credentials not found in native keychain" and the like).
 */
import { execa } from 'execa';
import { RegistryError } from '../errors.js';

export interface HelperCredential {
  username: string;
  secret: string;
}

const HELPER_NAME = /^[A-Za-z0-9][\w.-]*$/;
const NOT_FOUND = /credentials not found/i;
const TIMEOUT_MS = 30_000;

/**
 * Asks `docker-credential-<name>` for the credentials of `serverUrl`. Null when the helper has none.
 * Throws RegistryError (exit 4) when the helper is missing, fails otherwise, or prints something that is not JSON.
 */
export async function credentialsFromHelper(name: string, serverUrl: string, env: NodeJS.ProcessEnv): Promise<HelperCredential | null> {
  if (!HELPER_NAME.test(name)) throw new RegistryError(`invalid credential helper name "${name}" in the Docker config`);
  const program = `docker-credential-${name}`;
  const result = await execa(program, ['get'], {
    input: serverUrl,
    env,
    extendEnv: false,
    reject: false,
    timeout: TIMEOUT_MS,
    stripFinalNewline: true,
  });
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (result.failed) {
    const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') throw new RegistryError(`credential helper ${program} not found on PATH (named in the Docker config for ${serverUrl})`);
    if (result.timedOut) throw new RegistryError(`credential helper ${program} did not answer within ${TIMEOUT_MS / 1000}s`);
    const said = `${stdout}\n${stderr}`;
    if (NOT_FOUND.test(said)) return null;
    const firstLine = (stderr.trim() || stdout.trim()).split('\n')[0] ?? '';
    // A helper's failure text is not a credential, but keep it short anyway.
    throw new RegistryError(`credential helper ${program} failed for ${serverUrl} (exit ${result.exitCode ?? '?'})`, {
      detail: firstLine.slice(0, 200),
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new RegistryError(`credential helper ${program} printed something that is not JSON for ${serverUrl}`);
  }
  const { Username, Secret } = (parsed ?? {}) as { Username?: unknown; Secret?: unknown };
  if (typeof Secret !== 'string' || Secret === '') return null;
  return { username: typeof Username === 'string' ? Username : '', secret: Secret };
}
