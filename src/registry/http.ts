/**
 * Registry HTTP exchanges: bounded retries, manual redirects, and the one rule about credentials:
 * the Authorization header goes only to the origin (scheme://host:port) it was issued for. A redirect to any other
 * origin — another host, another port, or http instead of https — is followed without it (REGISTRY-FACTS.md:
 * "never send credentials to a different host"). Request bodies (token password grants) never follow a redirect.
 * Debug lines carry method, origin and path only: no headers, no query string, no body.
 */
import { RegistryError } from '../errors.js';
import type { HostPolicy } from './hosts.js';
import { header, TransportError, type HttpResponse, type Transport } from './transport.js';

export interface Exchange {
  method: 'GET' | 'HEAD' | 'POST';
  url: URL;
  headers?: Record<string, string>;
  /** Sent only to `authOrigin` (default: the origin of `url`). */
  authorization?: string | null;
  authOrigin?: string;
  /** application/x-www-form-urlencoded body; a request with a body is never redirected. */
  form?: string;
  maxBodyBytes?: number;
  /** One attempt only (probing https before falling back to http). */
  noRetry?: boolean;
}

export interface ExchangeResult extends HttpResponse {
  /** The URL that answered (after redirects). */
  url: URL;
}

export interface HttpSettings {
  timeoutMs: number;
  /** Extra attempts after a network error or a 429/502/503/504 answer. */
  retries: number;
  retryDelayMs: number;
  log: (line: string) => void;
}

const MAX_REDIRECTS = 5;
const RETRY_STATUS = new Set([429, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 5_000;
const DEFAULT_MAX_BODY = 4 * 1024 * 1024;

/** Where a URL goes, for messages and debug lines: no query string (a realm URL may carry one), no credentials. */
export function showUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class RegistryHttp {
  constructor(
    private readonly transport: Transport,
    private readonly policy: HostPolicy,
    private readonly settings: HttpSettings,
  ) {}

  /** One exchange with retries and redirects. Throws RegistryError when no HTTP answer came at all. */
  async send(exchange: Exchange): Promise<ExchangeResult> {
    const authOrigin = exchange.authOrigin ?? exchange.url.origin;
    let url = exchange.url;
    for (let hop = 0; ; hop++) {
      const sendAuth = Boolean(exchange.authorization) && url.origin === authOrigin;
      const response = await this.attempt(exchange, url, sendAuth);
      const location = header(response.headers, 'location');
      if (response.status < 300 || response.status >= 400 || response.status === 304 || !location) return { ...response, url };
      if (exchange.form !== undefined) return { ...response, url }; // never replay a body somewhere else
      if (hop >= MAX_REDIRECTS) throw new RegistryError(`too many redirects from ${showUrl(exchange.url)}`);
      const next = new URL(location, url);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new RegistryError(`refusing redirect to ${next.protocol} URL from ${showUrl(url)}`);
      if (next.protocol === 'http:' && !this.policy.allowsPlainHttp(next.host)) {
        throw new RegistryError(`refusing redirect to plain http://${next.host} (only loopback hosts and --insecure-registry hosts may use http)`);
      }
      const dropped = exchange.authorization && next.origin !== authOrigin ? ' (credentials not sent: another host)' : '';
      this.settings.log(`registry: ${response.status} redirect to ${showUrl(next)}${dropped}`);
      url = next;
    }
  }

  private async attempt(exchange: Exchange, url: URL, sendAuth: boolean): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...exchange.headers };
    if (sendAuth && exchange.authorization) headers.Authorization = exchange.authorization;
    if (exchange.form !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const retries = exchange.noRetry ? 0 : this.settings.retries;
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      try {
        const response = await this.transport.send({
          method: exchange.method,
          url,
          headers,
          body: exchange.form,
          timeoutMs: this.settings.timeoutMs,
          verifyTls: this.policy.verifiesTls(url.host),
          maxBodyBytes: exchange.maxBodyBytes ?? DEFAULT_MAX_BODY,
        });
        const auth = sendAuth ? ' [authorized]' : '';
        this.settings.log(`registry: ${exchange.method} ${showUrl(url)}${auth} -> ${response.status} (${Date.now() - started} ms)`);
        if (!RETRY_STATUS.has(response.status) || attempt >= retries) return response;
        await sleep(this.backoff(attempt, header(response.headers, 'retry-after')));
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        this.settings.log(`registry: ${exchange.method} ${showUrl(url)} failed: ${error.message}`);
        if (attempt >= retries || !retryable(error)) {
          throw new RegistryError(`${url.host} did not answer ${exchange.method} ${url.pathname}: ${error.message}`, { cause: error });
        }
        await sleep(this.backoff(attempt, undefined));
      }
    }
  }

  private backoff(attempt: number, retryAfter: string | undefined): number {
    const seconds = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : NaN;
    if (!Number.isNaN(seconds)) return Math.min(seconds, MAX_RETRY_AFTER_MS);
    return this.settings.retryDelayMs * 2 ** attempt;
  }
}

/** TLS verification failures and oversized answers do not get better by asking again. */
function retryable(error: TransportError): boolean {
  return !/CERT|SSL|TLS|SELF_SIGNED|ETOOLARGE|EPROTO/i.test(error.code);
}
