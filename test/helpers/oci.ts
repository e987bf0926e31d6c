/**
 * OCI image layouts written by hand (REGISTRY-FACTS.md "Images without Docker"): a one-file tar layer, gzipped, a
 * config whose rootfs.diff_ids is the sha256 of the uncompressed tar, a manifest, `oci-layout`, and `index.json`
 * naming the tag. Optionally a multi-arch image index over several platforms. skopeo pushes them unchanged, so the
 * digests computed here are the digests the registry serves.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
}

export const sha256 = (data: Buffer | string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A ustar archive holding one regular file (mtime 0, so the same content always gives the same bytes). */
export function tarOneFile(name: string, content: string): Buffer {
  const body = Buffer.from(content);
  const header = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number): void => {
    header.write(text.slice(0, length), offset, 'ascii');
  };
  const octal = (value: number, length: number): string => `${value.toString(8).padStart(length - 1, '0')}\0`;
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(body.length, 12), 124, 12);
  put(octal(0, 12), 136, 12);
  put('        ', 148, 8); // checksum field counts as spaces
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([header, body, padding, Buffer.alloc(1024)]);
}

class Layout {
  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  }

  blob(data: Buffer | string, mediaType: string): Descriptor {
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
    const digest = sha256(bytes);
    writeFileSync(join(this.dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), bytes);
    return { mediaType, digest, size: bytes.length };
  }

  image(content: string, platform: { architecture: string; os: string }): Descriptor {
    const tar = tarOneFile('hello.txt', content);
    const layer = this.blob(gzipSync(tar), 'application/vnd.oci.image.layer.v1.tar+gzip');
    const config = this.blob(
      JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: [sha256(tar)] }, config: {} }),
      'application/vnd.oci.image.config.v1+json',
    );
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST, config, layers: [layer] });
    return { ...this.blob(manifest, MANIFEST), platform };
  }

  index(tag: string, top: Descriptor): void {
    const entry = { mediaType: top.mediaType, digest: top.digest, size: top.size, annotations: { 'org.opencontainers.image.ref.name': tag } };
    writeFileSync(join(this.dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [entry] }));
  }
}

/** A single-platform image whose one file holds `content`; returns its manifest digest. */
export function buildImage(dir: string, tag: string, content: string): string {
  const layout = new Layout(dir);
  const manifest = layout.image(content, { architecture: 'amd64', os: 'linux' });
  layout.index(tag, manifest);
  return manifest.digest;
}

/** A multi-arch image (amd64 + arm64); returns the index digest and the per-platform manifest digests. */
export function buildMultiArchImage(dir: string, tag: string, content: string): { index: string; platforms: string[] } {
  const layout = new Layout(dir);
  const manifests = ['amd64', 'arm64'].map((architecture) => layout.image(`${content} (${architecture})`, { architecture, os: 'linux' }));
  const index = layout.blob(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests }), INDEX);
  layout.index(tag, index);
  return { index: index.digest, platforms: manifests.map((m) => m.digest) };
}
