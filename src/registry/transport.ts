/**
 * One HTTP request with node:http / node:https: no redirects followed (the client decides, so credentials never
 * follow a redirect to another host), a deadline for the whole exchange, a cap on the body size, TLS verified
 * unless the caller says otherwise for this request. No new dependency: Node's fetch cannot turn off TLS
 * verification per host without importing undici, and it follows redirects with the Authorization header only
 * partly stripped; node:https does neither.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** false only for hosts named with --insecure-registry. */
  verifyTls: boolean;
  /** Larger bodies fail the request (manifests and token answers are small). */
  maxBodyBytes: number;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The request did not get an HTTP answer: refused, reset, timed out, TLS failed, body too large. */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    message: string,
    /** Node's error code (ECONNREFUSED, CERT_HAS_EXPIRED, ...) or ETIMEDOUT / ETOOLARGE. */
    readonly code: string,
  ) {
    super(message);
  }
}

/** Keep-alive agents for one run; `close()` them when done. */
export class Transport {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 16 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 16 });
  private readonly httpsNoVerify = new HttpsAgent({ keepAlive: true, maxSockets: 16, rejectUnauthorized: false });

  send(request: HttpRequest): Promise<HttpResponse> {
    const secure = request.url.protocol === 'https:';
    const agent = !secure ? this.http : request.verifyTls ? this.https : this.httpsNoVerify;
    const start = secure ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { 'User-Agent': 'imageguard', ...request.headers };
    if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const finish = (error: TransportError | null, response?: HttpResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(response!);
      };
      const req = start(request.url, { method: request.method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > request.maxBodyBytes) {
            finish(new TransportError(`answer larger than ${request.maxBodyBytes} bytes`, 'ETOOLARGE'));
            res.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (error: NodeJS.ErrnoException) => finish(transportError(error)));
        res.on('end', () =>
          finish(null, { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      const timer = setTimeout(() => {
        finish(new TransportError(`no answer within ${Math.round(request.timeoutMs / 100) / 10}s`, 'ETIMEDOUT'));
        req.destroy();
      }, request.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => finish(transportError(error)));
      req.end(request.body);
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
    this.httpsNoVerify.destroy();
  }
}

function transportError(error: NodeJS.ErrnoException): TransportError {
  const code = error.code ?? 'EUNKNOWN';
  return new TransportError(`${error.message.split('\n')[0]} (${code})`, code);
}

/** Header value as one string (Node gives arrays for repeated headers). */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
