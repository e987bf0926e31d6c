/**
 * Bearer tokens for the registry token flow (REGISTRY-FACTS.md "Auth"): GET `realm?service=..&scope=..` (with Basic
 * credentials when there are any), and when the token service refuses that, the OAuth2 POST password grant
 * containerd (and so Helm 3) uses; an identity token always goes as a POST refresh_token grant. Tokens are cached per
 * run by realm, service, scope and credential, and shared by concurrent requests.
 *
 * Credentials go to the realm the registry's own 401 challenge names (that is the protocol; Docker Hub's realm is
 * auth.docker.io), only over https or to a host allowed plain http, and never across a redirect (http.ts).
 */
import { RegistryError } from '../errors.js';
import { answerText } from './answer.js';
import type { Challenge } from './challenge.js';
import type { Credential } from './credentials.js';
import type { HostPolicy } from './hosts.js';
import { showUrl, type RegistryHttp } from './http.js';
import type { Secrets } from './secrets.js';

interface CachedToken {
  token: string;
  expiresAt: number;
}

const DEFAULT_EXPIRES_S = 60;
const CLIENT_ID = 'imageguard';
const MAX_TOKEN_ANSWER = 1024 * 1024;

export function basicAuthorization(credential: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
}

export class TokenCache {
  private readonly tokens = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly http: RegistryHttp,
    private readonly policy: HostPolicy,
    private readonly secrets: Secrets,
  ) {}

  /** A token for `scope`; `fresh` skips the cache (the registry rejected the cached one). */
  async get(challenge: Challenge, scope: string, credential: Credential | null, fresh = false): Promise<string> {
    const realm = challenge.params.realm ?? '';
    const key = [realm, challenge.params.service ?? '', scope, credential ? `${credential.from}|${credentialUser(credential)}` : ''].join('\n');
    const cached = this.tokens.get(key);
    if (cached && !fresh) {
      const token = await cached;
      if (token.expiresAt > Date.now()) return token.token;
    }
    const pending = this.fetch(challenge, scope, credential);
    this.tokens.set(key, pending);
    pending.catch(() => this.tokens.delete(key));
    return (await pending).token;
  }

  private async fetch(challenge: Challenge, scope: string, credential: Credential | null): Promise<CachedToken> {
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm ?? '');
    } catch {
      throw new RegistryError(`the registry's token realm is not a URL: ${JSON.stringify(challenge.params.realm ?? '')}`);
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') throw new RegistryError(`unsupported token realm ${showUrl(realm)}`);
    const mayCarryCredentials = realm.protocol === 'https:' || this.policy.allowsPlainHttp(realm.host);
    const usable = credential && mayCarryCredentials ? credential : null;
    const service = challenge.params.service;
    if (usable?.kind === 'identity') return this.post(realm, { grant_type: 'refresh_token', refresh_token: usable.token }, service, scope, usable);

    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    for (const part of scope.split(' ').filter(Boolean)) url.searchParams.append('scope', part);
    const authorization = usable ? basicAuthorization(usable) : null;
    const answer = await this.http.send({ method: 'GET', url, authorization, maxBodyBytes: MAX_TOKEN_ANSWER });
    if (answer.status === 200) return this.parse(answer.body, realm);
    if (usable && answer.status >= 400 && answer.status < 500 && answer.status !== 429) {
      // Token services that only speak OAuth2 (containerd's default with a password) refuse the GET form.
      return this.post(realm, { grant_type: 'password', username: usable.username, password: usable.password }, service, scope, usable);
    }
    throw this.failure(realm, answer.status, answer.statusText, answer.body, credential, mayCarryCredentials);
  }

  private async post(
    realm: URL,
    grant: Record<string, string>,
    service: string | undefined,
    scope: string,
    credential: Credential,
  ): Promise<CachedToken> {
    const form = new URLSearchParams({ ...grant, client_id: CLIENT_ID, access_type: 'offline' });
    if (service) form.set('service', service);
    if (scope) form.set('scope', scope);
    const answer = await this.http.send({ method: 'POST', url: realm, form: form.toString(), maxBodyBytes: MAX_TOKEN_ANSWER });
    if (answer.status === 200) return this.parse(answer.body, realm);
    throw this.failure(realm, answer.status, answer.statusText, answer.body, credential, true);
  }

  private parse(body: Buffer, realm: URL): CachedToken {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new RegistryError(`token service ${showUrl(realm)} answered 200 with something that is not JSON`);
    }
    const { token, access_token: accessToken, expires_in: expiresIn } = (parsed ?? {}) as Record<string, unknown>;
    const value = typeof token === 'string' && token !== '' ? token : typeof accessToken === 'string' ? accessToken : '';
    if (value === '') throw new RegistryError(`token service ${showUrl(realm)} answered without a token`);
    this.secrets.add(value);
    const seconds = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_S;
    // Renew 10% early so a token does not expire between the check and the request.
    return { token: value, expiresAt: Date.now() + seconds * 900 };
  }

  private failure(realm: URL, status: number, statusText: string, body: Buffer, credential: Credential | null, sent: boolean): RegistryError {
    const said = this.secrets.redact(answerText(body));
    const whose = !credential ? 'anonymously' : sent ? `with the credentials from ${credential.from}` : 'anonymously (credentials are not sent to a plain-http realm)';
    return new RegistryError(`token service ${showUrl(realm)} answered ${status} ${statusText}${said ? ` (${said})` : ''} when asked ${whose}`);
  }
}

function credentialUser(credential: Credential): string {
  return credential.kind === 'basic' ? credential.username : 'identity-token';
}
