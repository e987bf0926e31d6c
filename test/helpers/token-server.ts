/**
 * A small registry token server for docker-registry's `auth.token` mode (REGISTRY-FACTS.md): it checks Basic
 * credentials (GET form) or an OAuth2 password grant (POST form), and answers with an RS256 JWT signed with node:crypto.
 * The registry trusts the key through `rootcertbundle`: a self-signed certificate built here in DER by hand (no
 * openssl needed), and the JWT header's `kid` is the libtrust key ID of that key, which is how distribution 2.8
 * finds a trusted key from the bundle.
 */
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// --- DER, just enough for one self-signed certificate -----------------------------------------------------------
function der(tag: number, content: Buffer): Buffer {
  const length = content.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), content]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), content]);
}
const seq = (...parts: Buffer[]): Buffer => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => der(0x31, Buffer.concat(parts));
function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const value of rest) {
    const chunk = [value & 0x7f];
    for (let v = value >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return der(0x06, Buffer.from(out));
}
const utf8 = (text: string): Buffer => der(0x0c, Buffer.from(text));
const time = (date: Date): Buffer => der(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`));
const SHA256_WITH_RSA = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject, commonName: string): string {
  const name = seq(set(seq(oid('2.5.4.3'), utf8(commonName))));
  const now = Date.now();
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([0x02]))), // version 3
    der(0x02, Buffer.from([0x01, 0x23, 0x45])), // serial
    SHA256_WITH_RSA,
    name,
    seq(time(new Date(now - 3_600_000)), time(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, SHA256_WITH_RSA, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const base64 = cert.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`.replace(/\n\n/g, '\n');
}

/** libtrust's key ID: SHA-256 of the DER public key, first 240 bits, base32, in 12 groups of 4 joined by ':'. */
function libtrustKeyId(publicKey: KeyObject): string {
  const bytes = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let encoded = '';
  for (let i = 0; i < bits.length; i += 5) encoded += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return encoded.match(/.{4}/g)!.join(':');
}

// --- the server ---------------------------------------------------------------------------------------------------
export type TokenMode = 'get' | 'post';

export interface TokenRequest {
  method: string;
  /** The Basic user (GET) or the grant's username (POST); null when anonymous. */
  user: string | null;
  scope: string;
  /** Raw Authorization header and body, to assert what the client sent (tests only). */
  authorization: string | null;
  body: string;
}

export interface TokenServer {
  /** Which token flow the server accepts now (tests may switch it after pushing). */
  mode: TokenMode;
  realm: string;
  service: string;
  issuer: string;
  certificatePem: string;
  requests: TokenRequest[];
  /** Tokens handed out (a test checks none of them leaks into output). */
  issued: string[];
  stop(): Promise<void>;
}

const b64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** `mode: 'get'` accepts only GET with Basic; `mode: 'post'` only the POST password grant (GET answers 405). */
export async function startTokenServer(options: { users: Record<string, string>; mode: TokenMode }): Promise<TokenServer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const service = 'imageguard-test-registry';
  const issuer = 'imageguard-test-issuer';
  const kid = libtrustKeyId(publicKey);
  const requests: TokenRequest[] = [];
  const issued: string[] = [];
  const state = { mode: options.mode };
  const jwt = (user: string | null, scope: string): string => {
    const now = Math.floor(Date.now() / 1000);
    const access = scope
      .split(' ')
      .filter(Boolean)
      .map((part) => part.split(':'))
      .filter(([type, name]) => type === 'repository' && name && user !== null)
      .map(([type, name, actions]) => ({ type, name, actions: (actions ?? '').split(',').filter(Boolean) }));
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
    const claims = b64url(JSON.stringify({ iss: issuer, sub: user ?? '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access }));
    const token = `${header}.${claims}.${b64url(sign('sha256', Buffer.from(`${header}.${claims}`), privateKey))}`;
    issued.push(token);
    return token;
  };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://token');
      const authorization = req.headers.authorization ?? null;
      const answer = (status: number, payload: object): void => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      let user: string | null = null;
      let scope = '';
      if (req.method === 'GET') {
        scope = url.searchParams.getAll('scope').join(' ');
        if (authorization?.startsWith('Basic ')) {
          const [name = '', password = ''] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(/:(.*)/s);
          if (options.users[name] !== password) {
            requests.push({ method: 'GET', user: name, scope, authorization, body });
            return answer(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
          }
          user = name;
        }
        requests.push({ method: 'GET', user, scope, authorization, body });
        if (state.mode === 'post') return answer(405, { errors: [{ code: 'UNSUPPORTED', message: 'use the POST password grant' }] });
        return answer(200, { token: jwt(user, scope), expires_in: 300, issued_at: new Date().toISOString() });
      }
      const form = new URLSearchParams(body);
      scope = form.get('scope') ?? '';
      const name = form.get('username');
      requests.push({ method: 'POST', user: name, scope, authorization, body });
      if (state.mode === 'get' || form.get('grant_type') !== 'password') return answer(400, { error: 'unsupported_grant_type' });
      if (!name || options.users[name] !== form.get('password')) return answer(401, { error: 'invalid_grant' });
      return answer(200, { access_token: jwt(name, scope), expires_in: 300 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    get mode() {
      return state.mode;
    },
    set mode(mode: TokenMode) {
      state.mode = mode;
    },
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certificatePem: selfSignedCertificate(privateKey, publicKey, 'imageguard-test-token-signer'),
    requests,
    issued,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export { selfSignedCertificate };
