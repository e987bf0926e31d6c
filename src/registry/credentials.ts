/**
 * Registry credentials from Docker's config.json and Helm's registry config (same format):
 * `auths.<host>.auth` (base64 user:password) or `username`/`password`, `identitytoken`; `credHelpers.<host>` and
 * `credsStore` name `docker-credential-<x>` programs (cred-helper.ts).
 *
 * Order: Docker's config first (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`), then Helm's
 * (`$HELM_REGISTRY_CONFIG`, else `$HELM_CONFIG_HOME/registry/config.json`, else `~/.config/helm/registry/config.json`).
 * Inside one file, as the Docker CLI: `credHelpers.<host>`, else an `auths` entry holding credentials, else `credsStore`.
 * A credential only ever belongs to the one host[:port] it is keyed under (hosts.ts).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { credentialsFromHelper, type HelperCredential } from './cred-helper.js';
import { credentialKey, helperServerUrl } from './hosts.js';

export type Credential =
  | { kind: 'basic'; username: string; password: string; from: string }
  /** An OAuth refresh token (`identitytoken`, or a helper answering Username `<token>`). */
  | { kind: 'identity'; token: string; from: string };

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
}

interface ConfigFile {
  path: string;
  auths: Map<string, AuthEntry>;
  credHelpers: Map<string, string>;
  credsStore: string | null;
}

export type HelperRunner = (name: string, serverUrl: string, env: NodeJS.ProcessEnv) => Promise<HelperCredential | null>;

/** The config files to read, in order, for this environment. */
export function credentialFiles(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME || homedir();
  const docker = env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(home, '.docker', 'config.json');
  const helmConfigHome = env.HELM_CONFIG_HOME || join(env.XDG_CONFIG_HOME || join(home, '.config'), 'helm');
  const helm = env.HELM_REGISTRY_CONFIG || join(helmConfigHome, 'registry', 'config.json');
  return docker === helm ? [docker] : [docker, helm];
}

function readConfig(path: string): ConfigFile | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null; // no such file: nothing configured there
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`registry credentials: ${path} is not valid JSON`);
  }
  const root = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const auths = new Map<string, AuthEntry>();
  for (const [key, entry] of Object.entries(asObject(root.auths))) {
    if (typeof entry === 'object' && entry !== null) auths.set(credentialKey(key), entry as AuthEntry);
  }
  const credHelpers = new Map<string, string>();
  for (const [key, helper] of Object.entries(asObject(root.credHelpers))) {
    if (typeof helper === 'string' && helper !== '') credHelpers.set(credentialKey(key), helper);
  }
  const credsStore = typeof root.credsStore === 'string' && root.credsStore !== '' ? root.credsStore : null;
  return { path, auths, credHelpers, credsStore };
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** An `auths` entry's credential, or null when it holds none (an empty `{}` marks a credsStore entry). */
function fromAuthEntry(entry: AuthEntry, from: string): Credential | null {
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') return { kind: 'identity', token: entry.identitytoken, from };
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new UsageError(`registry credentials: the auth entry in ${from} is not base64 of user:password`);
    return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1), from };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username !== '') {
    return { kind: 'basic', username: entry.username, password: entry.password, from };
  }
  return null;
}

function fromHelper(answer: HelperCredential | null, from: string): Credential | null {
  if (!answer) return null;
  // Docker's convention: Username "<token>" means Secret is an identity (refresh) token.
  if (answer.username === '<token>' || answer.username === '') return { kind: 'identity', token: answer.secret, from };
  return { kind: 'basic', username: answer.username, password: answer.secret, from };
}

/** Looks credentials up per registry domain, once per run (the answers are cached, helpers run at most once per host). */
export class CredentialStore {
  private configs: ConfigFile[] | null = null;
  private readonly cache = new Map<string, Promise<Credential | null>>();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly runHelper: HelperRunner = credentialsFromHelper,
  ) {}

  /** Credentials for a registry domain (`docker.io`, `ghcr.io`, `127.0.0.1:5000`), or null for anonymous access. */
  lookup(domain: string): Promise<Credential | null> {
    const key = credentialKey(domain);
    let answer = this.cache.get(key);
    if (!answer) {
      answer = this.find(key, domain);
      this.cache.set(key, answer);
    }
    return answer;
  }

  /** Where credentials are looked for, for messages (paths only). */
  sources(): string[] {
    return credentialFiles(this.env);
  }

  private async find(key: string, domain: string): Promise<Credential | null> {
    this.configs ??= credentialFiles(this.env)
      .map(readConfig)
      .filter((config): config is ConfigFile => config !== null);
    for (const config of this.configs) {
      const helper = config.credHelpers.get(key);
      if (helper) {
        const found = fromHelper(await this.runHelper(helper, helperServerUrl(domain), this.env), `docker-credential-${helper} (${config.path})`);
        if (found) return found;
        continue;
      }
      const entry = config.auths.get(key);
      const direct = entry ? fromAuthEntry(entry, config.path) : null;
      if (direct) return direct;
      if (config.credsStore) {
        const found = fromHelper(await this.runHelper(config.credsStore, helperServerUrl(domain), this.env), `docker-credential-${config.credsStore} (${config.path})`);
        if (found) return found;
      }
    }
    return null;
  }
}
