/**
 * Registry hosts: where a reference's domain is served, which hosts may use plain http, and the key that
 * credentials are stored under.
 *
 * "Host" means host[:port] exactly as registries and Docker's config.json key credentials: `127.0.0.1:5000`,
 * `localhost:5000` and `127.0.0.1:5001` are three different hosts, and credentials for one are never sent to another.
 */
import { isIP } from 'node:net';

export const DOCKER_HUB = 'docker.io';
/** Docker Hub's registry API host (REGISTRY-FACTS.md: docker.io is served at registry-1.docker.io). */
export const DOCKER_HUB_API = 'registry-1.docker.io';
/** The key `docker login` stores Docker Hub credentials under, and what credential helpers are asked for. */
export const DOCKER_HUB_SERVER_URL = 'https://index.docker.io/v1/';

const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', DOCKER_HUB_API]);

/** The host to send API requests to for a reference domain (`docker.io` -> `registry-1.docker.io`). */
export function apiHost(domain: string): string {
  return domain === DOCKER_HUB ? DOCKER_HUB_API : domain;
}

/** Host without the port, without IPv6 brackets. */
export function hostname(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon >= 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

/** localhost, 127.0.0.0/8 and ::1: the only hosts that may use plain http without --insecure-registry. */
export function isLoopback(host: string): boolean {
  const name = hostname(host).toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1' || name === '0:0:0:0:0:0:0:1';
}

/**
 * The credential key of a config.json `auths`/`credHelpers` entry or of a registry domain, as Docker compares them:
 * scheme and path dropped (`https://ghcr.io/v1/` -> `ghcr.io`), lower-cased, Docker Hub's names folded into docker.io.
 */
export function credentialKey(key: string): string {
  let host = key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = host.indexOf('/');
  if (slash >= 0) host = host.slice(0, slash);
  host = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}

/** What a credential helper is asked for: Docker Hub's legacy URL, else the host itself (as `docker login` does). */
export function helperServerUrl(domain: string): string {
  return credentialKey(domain) === DOCKER_HUB ? DOCKER_HUB_SERVER_URL : domain;
}

/** Hosts named by the user (`--insecure-registry HOST`): plain http allowed and TLS not verified there. */
export class HostPolicy {
  private readonly insecure: ReadonlySet<string>;

  constructor(insecureHosts: readonly string[] = []) {
    this.insecure = new Set(insecureHosts.map((host) => host.trim().toLowerCase()).filter((host) => host !== ''));
  }

  isInsecure(host: string): boolean {
    return this.insecure.has(host.toLowerCase());
  }

  /** Plain http only for loopback hosts and hosts named with --insecure-registry. */
  allowsPlainHttp(host: string): boolean {
    return isLoopback(host) || this.isInsecure(host);
  }

  /** TLS is verified everywhere except on hosts named with --insecure-registry. */
  verifiesTls(host: string): boolean {
    return !this.isInsecure(host);
  }
}
