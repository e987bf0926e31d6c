/**
 * A tar reader for chart archives, in memory and read-only: the regular files of a tar stream with their names.
 * Reads ustar (name + prefix), pax extended headers (`x`: `path=`, `size=`) and GNU long names (`L`), as Go's
 * archive/tar does for helm. Global pax headers (`g`) are skipped: Go hands them to the caller without applying
 * them to the next entries, and helm ignores them. Directories, links and devices are skipped. Anything malformed
 * throws TarError; the caller names the archive.
 */

export class TarError extends Error {}

export interface TarFile {
  /** The name as stored (pax `path`, GNU long name, or ustar prefix/name), not yet checked or cleaned. */
  name: string;
  /** A view into the tar buffer (no copy). */
  data: Buffer;
}

export interface TarLimits {
  /** Headers of any kind read, at most (a tar of millions of empty entries costs time, not bytes). */
  maxEntries: number;
}

const BLOCK = 512;

function isZeroBlock(block: Buffer): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

/** A NUL-terminated string field. */
function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

/** An octal number field, or GNU base-256 (high bit set) for sizes of 8 GiB and more. */
function numeric(block: Buffer, start: number, length: number, what: string): number {
  const field = block.subarray(start, start + length);
  if (field[0]! & 0x80) {
    if (field[0] === 0xff) throw new TarError(`negative ${what} in a tar header`);
    let value = field[0]! & 0x7f;
    for (const byte of field.subarray(1)) {
      value = value * 256 + byte;
      if (value > Number.MAX_SAFE_INTEGER) throw new TarError(`${what} too large in a tar header`);
    }
    return value;
  }
  const digits = text(block, start, length).trim();
  if (digits === '') return 0;
  if (!/^[0-7]+$/.test(digits)) throw new TarError(`bad ${what} ${JSON.stringify(digits)} in a tar header`);
  return parseInt(digits, 8);
}

/** The header checksum: every byte summed with the checksum field as spaces (unsigned, or signed as old tars did). */
function checkChecksum(block: Buffer): void {
  const stored = numeric(block, 148, 8, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  if (stored !== unsigned && stored !== signed) throw new TarError('bad tar header checksum (not a tar archive, or a corrupt one)');
}

/** POSIX ustar joins prefix and name; GNU tar uses those bytes for other things and has no prefix. */
function headerName(block: Buffer): string {
  const name = text(block, 0, 100);
  const posix = block.subarray(257, 263).toString('latin1') === 'ustar\0';
  const prefix = posix ? text(block, 345, 155) : '';
  return prefix === '' ? name : `${prefix}/${name}`;
}

/** Pax records: `<length> <key>=<value>\n`, the length counting the whole record. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    if (data[at] === 0) break; // NUL padding after the last record
    const space = data.indexOf(0x20, at);
    const length = space < 0 ? NaN : Number(data.subarray(at, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= space - at + 1 || at + length > data.length || data[at + length - 1] !== 0x0a) {
      throw new TarError('malformed pax extended header');
    }
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq <= 0) throw new TarError('malformed pax extended header');
    records.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return records;
}

/** The regular files of a tar stream, in order, and how many headers were read. */
export function tarFiles(tar: Buffer, limits: TarLimits): { files: TarFile[]; entries: number } {
  const files: TarFile[] = [];
  let offset = 0;
  let entries = 0;
  // Set by `x` and `L` headers for the entry that follows them.
  let nextName: string | null = null;
  let nextSize: number | null = null;
  while (offset + BLOCK <= tar.length) {
    const block = tar.subarray(offset, offset + BLOCK);
    if (isZeroBlock(block)) return { files, entries };
    if (++entries > limits.maxEntries) throw new TarError(`more than ${limits.maxEntries} entries`);
    checkChecksum(block);
    const type = block[156] === 0 ? '0' : String.fromCharCode(block[156]!);
    const extension = type === 'x' || type === 'g' || type === 'L' || type === 'K';
    const size = !extension && nextSize !== null ? nextSize : numeric(block, 124, 12, 'size');
    const start = offset + BLOCK;
    if (start + size > tar.length) throw new TarError('truncated tar archive (an entry runs past the end)');
    const data = tar.subarray(start, start + size);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      const records = paxRecords(data);
      const path = records.get('path');
      const paxSize = records.get('size');
      if (path !== undefined) nextName = path;
      if (paxSize !== undefined) {
        if (!/^\d+$/.test(paxSize) || !Number.isSafeInteger(Number(paxSize))) throw new TarError('bad size in a pax extended header');
        nextSize = Number(paxSize);
      }
      continue;
    }
    if (type === 'L') {
      nextName = text(data, 0, data.length);
      continue;
    }
    if (type === 'g' || type === 'K') continue;
    const name = nextName ?? headerName(block);
    nextName = null;
    nextSize = null;
    // '0' (and NUL) regular file, '7' contiguous file; everything else is not file content.
    if (type === '0' || type === '7') files.push({ name, data });
  }
  // Go's archive/tar accepts a stream that ends without the two zero blocks; so do we (helm packages have them).
  if (offset < tar.length && !isZeroBlock(tar.subarray(offset))) throw new TarError('truncated tar archive');
  return { files, entries };
}
