/**
 * OCI distribution client: resolves an image reference to the digest a kubelet would pull (REGISTRY-FACTS.md):
 * HEAD /v2/<repo>/manifests/<tag> with the four manifest types and `*\/*`, `Docker-Content-Digest`; GET (and sha256
 * of the body) when HEAD is not allowed or carries no digest. For a multi-arch image that is the index digest.
 *
 * Per run: one probe per host (https first; plain http only for loopback hosts and --insecure-registry hosts),
 * credentials looked up once per host and only after the registry asks for them, tokens cached. Errors are
 * RegistryError (exit 4) naming the image and the registry's answer, with every known secret scrubbed.
 */
import { createHash } from 'node:crypto';
import { RegistryError } from '../errors.js';
import { referenceString, type Reference } from '../image/reference.js';
import { parseChallenges, pickChallenge, type Challenge } from './challenge.js';
import { CredentialStore, type Credential } from './credentials.js';
import { answerText } from './answer.js';
import { apiHost, HostPolicy } from './hosts.js';
import { RegistryHttp, type ExchangeResult } from './http.js';
import { Secrets } from './secrets.js';
import { basicAuthorization, TokenCache } from './token.js';
import { header, Transport, TransportError } from './transport.js';

/** All four manifest types (Docker v2, Docker list, OCI manifest, OCI index), then anything. */
export const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  '*/*',
].join(', ');

export interface RegistryClientOptions {
  env: NodeJS.ProcessEnv;
  /** Hosts (host[:port]) where plain http is allowed and TLS is not verified. */
  insecureRegistries?: readonly string[];
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Extra attempts after network errors and 429/502/503/504 (default 2). */
  retries?: number;
  retryDelayMs?: number;
  /** Debug lines (no secrets, no headers); omitted = silent. */
  debug?: (line: string) => void;
  credentials?: CredentialStore;
}

interface Endpoint {
  origin: string;
  challenge: Challenge | null;
}

const DIGEST = /^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;
const MAX_MANIFEST = 4 * 1024 * 1024;
const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

export class RegistryClient {
  private readonly transport = new Transport();
  private readonly policy: HostPolicy;
  private readonly http: RegistryHttp;
  private readonly secrets = new Secrets();
  private readonly tokens: TokenCache;
  private readonly credentials: CredentialStore;
  private readonly endpoints = new Map<string, Promise<Endpoint>>();
  private readonly log: (line: string) => void;

  constructor(options: RegistryClientOptions) {
    this.policy = new HostPolicy(options.insecureRegistries);
    const debug = options.debug;
    this.log = debug ? (line) => debug(this.secrets.redact(line)) : () => undefined;
    this.http = new RegistryHttp(this.transport, this.policy, {
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 2,
      retryDelayMs: options.retryDelayMs ?? 250,
      log: this.log,
    });
    this.tokens = new TokenCache(this.http, this.policy, this.secrets);
    this.credentials = options.credentials ?? new CredentialStore(options.env);
  }

  /** The digest `ref` (tag, or `latest` when untagged) points to now. */
  async resolve(ref: Reference): Promise<string> {
    const image = referenceString(ref);
    try {
      return await this.resolveDigest(ref, image);
    } catch (error) {
      if (error instanceof RegistryError && !error.message.startsWith(image)) {
        throw new RegistryError(this.secrets.redact(`${image}: ${error.message}`), { detail: error.detail, cause: error });
      }
      throw error;
    }
  }

  close(): void {
    this.transport.close();
  }

  private async resolveDigest(ref: Reference, image: string): Promise<string> {
    const host = apiHost(ref.domain);
    const endpoint = await this.endpoint(host);
    const url = new URL(`${endpoint.origin}/v2/${ref.path}/manifests/${ref.tag ?? 'latest'}`);
    const scope = `repository:${ref.path}:pull`;
    const head = await this.manifest('HEAD', url, endpoint, ref.domain, scope);
    const fromHead = head.status === 200 ? digestHeader(head) : null;
    if (fromHead) return fromHead;
    // No digest header, HEAD not allowed, or an error whose text only a GET carries (HEAD answers have no body).
    const get = await this.manifest('GET', url, endpoint, ref.domain, scope);
    if (get.status === 200) return digestHeader(get) ?? `sha256:${createHash('sha256').update(get.body).digest('hex')}`;
    throw await this.answerError(image, host, get, ref.domain);
  }

  private endpoint(host: string): Promise<Endpoint> {
    let endpoint = this.endpoints.get(host);
    if (!endpoint) {
      endpoint = this.probe(host);
      this.endpoints.set(host, endpoint);
    }
    return endpoint;
  }

  /** GET /v2/ over https, else (loopback and --insecure-registry hosts only) plain http. */
  private async probe(host: string): Promise<Endpoint> {
    const plainAllowed = this.policy.allowsPlainHttp(host);
    const secure = new URL(`https://${host}/v2/`);
    try {
      const answer = await this.http.send({ method: 'GET', url: secure, noRetry: plainAllowed, maxBodyBytes: 65536 });
      return { origin: secure.origin, challenge: challengeOf(answer) };
    } catch (error) {
      const cause = error instanceof RegistryError ? error.cause : null;
      if (cause instanceof TransportError && CERTIFICATE_ERROR.test(cause.code)) {
        // A host that speaks TLS with a certificate we cannot verify is never downgraded to plain http.
        throw new RegistryError(`${host}: TLS certificate not trusted: ${cause.message}`, {
          detail: 'add the CA to the system trust store (NODE_EXTRA_CA_CERTS), or name the host with --insecure-registry to skip verification',
        });
      }
      if (!plainAllowed || !(cause instanceof TransportError)) throw error;
      this.log(`registry: no https on ${host}; using plain http (${this.policy.isInsecure(host) ? '--insecure-registry' : 'loopback host'})`);
    }
    const plain = new URL(`http://${host}/v2/`);
    const answer = await this.http.send({ method: 'GET', url: plain, maxBodyBytes: 65536 });
    return { origin: plain.origin, challenge: challengeOf(answer) };
  }

  private async manifest(method: 'HEAD' | 'GET', url: URL, endpoint: Endpoint, domain: string, scope: string): Promise<ExchangeResult> {
    const send = (authorization: string | null): Promise<ExchangeResult> =>
      this.http.send({ method, url, headers: { Accept: MANIFEST_ACCEPT }, authorization, authOrigin: endpoint.origin, maxBodyBytes: MAX_MANIFEST });
    const first = await this.authorization(endpoint.challenge, domain, scope, false);
    const answer = await send(first);
    if (answer.status !== 401) return answer;
    const challenge = pickChallenge(parseChallenges(header(answer.headers, 'www-authenticate')));
    if (!challenge) return answer;
    endpoint.challenge ??= challenge;
    const second = await this.authorization(challenge, domain, challenge.params.scope ?? scope, true);
    return second && second !== first ? send(second) : answer;
  }

  private async authorization(challenge: Challenge | null, domain: string, scope: string, fresh: boolean): Promise<string | null> {
    if (!challenge) return null;
    const credential = await this.credential(domain);
    if (challenge.scheme === 'basic') return credential?.kind === 'basic' ? basicAuthorization(credential) : null;
    if (challenge.scheme !== 'bearer') return null;
    try {
      return `Bearer ${await this.tokens.get(challenge, scope, credential, fresh)}`;
    } catch (error) {
      if (credential || !(error instanceof RegistryError) || error.detail) throw error;
      throw new RegistryError(error.message, { detail: this.noCredentials(domain), cause: error });
    }
  }

  private noCredentials(domain: string): string {
    return `no credentials for ${domain} in ${this.credentials.sources().join(' or ')} (docker login / helm registry login)`;
  }

  private async credential(domain: string): Promise<Credential | null> {
    const credential = await this.credentials.lookup(domain);
    if (credential?.kind === 'basic') this.secrets.addCredential(credential.username, credential.password);
    if (credential?.kind === 'identity') this.secrets.add(credential.token);
    return credential;
  }

  private async answerError(image: string, host: string, answer: ExchangeResult, domain: string): Promise<RegistryError> {
    const said = this.secrets.redact(answerText(answer.body));
    const message = `${image}: ${host} answered ${answer.status} ${answer.statusText}${said ? ` (${said})` : ''}`;
    if (answer.status !== 401 && answer.status !== 403) return new RegistryError(message);
    const credential = await this.credentials.lookup(domain);
    const hint = credential ? `the credentials for ${domain} from ${credential.from} were not accepted` : this.noCredentials(domain);
    return new RegistryError(message, { detail: hint });
  }
}

function challengeOf(answer: ExchangeResult): Challenge | null {
  return answer.status === 401 ? pickChallenge(parseChallenges(header(answer.headers, 'www-authenticate'))) : null;
}

function digestHeader(answer: ExchangeResult): string | null {
  const value = header(answer.headers, 'docker-content-digest')?.trim();
  return value && DIGEST.test(value) ? value : null;
}
