import { UsageError } from '../errors.js';

/**
 * Manifests and pod lists are UTF-8 text (YAML, JSON, Kubernetes). Other bytes are refused with the line they are
 * on, rather than replaced with U+FFFD and read as if the file said something else.
 */
export function decodeText(bytes: Buffer, file: string): string {
  const nul = bytes.indexOf(0);
  const lineAt = (text: string, index: number): number => text.slice(0, index).split('\n').length;
  if (nul >= 0) throw new UsageError(`${file}:${lineAt(bytes.toString('latin1'), nul)}: binary data (a NUL byte), not text`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = bytes.toString('utf8');
    throw new UsageError(`${file}:${lineAt(lossy, lossy.indexOf('\uFFFD'))}: not UTF-8 text (binary data, or another encoding such as Latin-1)`);
  }
}
