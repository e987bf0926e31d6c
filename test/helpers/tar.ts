/**
 * Builds tar streams byte by byte for tests of the chart archive reader, including what tar tools refuse to write
 * (`..` paths, absolute paths) and the extension headers (pax `x`/`g`, GNU `L`) they write only for long names.
 */
import { gzipSync } from 'node:zlib';

export interface RawEntry {
  /** The ustar name field (at most 100 bytes). */
  name: string;
  data?: string | Buffer;
  /** Type flag: '0' file (default), '2' symlink, '5' directory, 'x'/'g' pax, 'L' GNU long name, ... */
  type?: string;
  /** ustar prefix field (at most 155 bytes); POSIX magic is written whenever one is given. */
  prefix?: string;
  linkname?: string;
  /** GNU magic (`ustar  `) instead of POSIX (`ustar\0` `00`). */
  gnu?: boolean;
  /** Overrides the size field (to write a lying header). */
  size?: number;
}

const BLOCK = 512;

function put(block: Buffer, text: string, start: number, length: number): void {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > length) throw new Error(`tar test helper: ${JSON.stringify(text)} is longer than ${length} bytes`);
  bytes.copy(block, start);
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

export function header(entry: RawEntry, dataLength: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  put(block, entry.name, 0, 100);
  put(block, octal(0o644, 8), 100, 8);
  put(block, octal(0, 8), 108, 8);
  put(block, octal(0, 8), 116, 8);
  put(block, octal(entry.size ?? dataLength, 12), 124, 12);
  put(block, octal(0, 12), 136, 12);
  put(block, entry.type ?? '0', 156, 1);
  if (entry.linkname) put(block, entry.linkname, 157, 100);
  if (entry.gnu) put(block, 'ustar  \0', 257, 8);
  else {
    put(block, 'ustar\0', 257, 6);
    put(block, '00', 263, 2);
  }
  if (entry.prefix) put(block, entry.prefix, 345, 155);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(block, `${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return block;
}

/** A tar stream of the entries, ended by two zero blocks. */
export function tar(entries: readonly RawEntry[], options: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : (entry.data ?? Buffer.alloc(0));
    parts.push(header(entry, data.length), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  if (options.end !== false) parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

export function targz(entries: readonly RawEntry[]): Buffer {
  return gzipSync(tar(entries));
}

/** A pax extended header (`x`, or `g` for a global one) with `key=value` records. */
export function pax(records: Record<string, string>, type: 'x' | 'g' = 'x'): RawEntry {
  let data = '';
  for (const [key, value] of Object.entries(records)) {
    const body = ` ${key}=${value}\n`;
    // The length counts its own digits.
    let length = Buffer.byteLength(body) + 1;
    while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
    data += `${length}${body}`;
  }
  return { name: 'PaxHeaders/entry', type, data };
}

/** A GNU long name header (`L`) for the entry that follows it. */
export function gnuLongName(name: string): RawEntry {
  return { name: '././@LongLink', type: 'L', gnu: true, data: `${name}\0` };
}

/** A minimal chart's files under a top directory. */
export function chartEntries(top: string, values = 'image:\n  tag: "1.0.0"\n', name = top): RawEntry[] {
  return [
    { name: `${top}/`, type: '5' },
    { name: `${top}/Chart.yaml`, data: `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n` },
    { name: `${top}/values.yaml`, data: values },
  ];
}
