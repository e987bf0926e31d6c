/** The small mechanisms issue 10's fixes added: all-or-nothing writes, text decoding, argv password scrubbing. */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { writeFileAtomic, writeFilesAtomic } from '../../src/io/output.js';
import { argvSecrets, redactSecrets, withoutPassword } from '../../src/io/redact.js';
import { decodeText } from '../../src/io/text.js';

const work = mkdtempSync(join(tmpdir(), 'imageguard-io-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('writeFilesAtomic', () => {
  it('puts back what it wrote when a later file cannot be written, and removes the directories it made', () => {
    const dir = mkdtempSync(join(work, 'all-or-nothing-'));
    writeFileSync(join(dir, 'a.txt'), 'old a');
    // A file where the third write needs a directory: it fails whatever the user's privileges (root included).
    const blocked = join(dir, 'b.txt');
    const writes = [
      { path: join(dir, 'a.txt'), content: 'new a', before: 'old a' },
      { path: join(dir, 'new', 'deeper', 'c.txt'), content: 'c', before: null },
      { path: join(blocked, 'inside-a-file'), content: 'x', before: null },
    ];
    writeFileSync(blocked, 'a file where a directory is needed');
    expect(() => writeFilesAtomic(writes)).toThrow(UsageError);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('old a');
    expect(existsSync(join(dir, 'new'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.txt']);
  });

  it('writes through a symbolic link the user named, keeping the link', () => {
    const dir = mkdtempSync(join(work, 'link-'));
    writeFileSync(join(dir, 'target.txt'), 'old');
    symlinkSync('target.txt', join(dir, 'link.txt'));
    writeFileAtomic(join(dir, 'link.txt'), 'new');
    expect(readFileSync(join(dir, 'target.txt'), 'utf8')).toBe('new');
    expect(readdirSync(dir).sort()).toEqual(['link.txt', 'target.txt']);
    symlinkSync('missing.txt', join(dir, 'dangling.txt'));
    expect(() => writeFileAtomic(join(dir, 'dangling.txt'), 'x')).toThrow(/symbolic link to a file that does not exist/);
  });

  it('keeps the mode of the file it replaces', () => {
    const file = join(work, 'mode.sh');
    writeFileSync(file, 'old');
    chmodSync(file, 0o750);
    writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o750);
  });
});

describe('decodeText', () => {
  it('accepts UTF-8, refuses NUL bytes and other encodings with the line', () => {
    expect(decodeText(Buffer.from('a: é\n'), 'f')).toBe('a: é\n');
    expect(() => decodeText(Buffer.from('a: 1\nb: \0\n'), 'f')).toThrow('f:2: binary data (a NUL byte), not text');
    expect(() => decodeText(Buffer.from('a: 1\nb: 2\nc: caf\u00e9\n', 'latin1'), 'f')).toThrow('f:3: not UTF-8 text');
  });
});

describe('argvSecrets', () => {
  it('finds passwords in URLs and after --password, never short words', () => {
    expect(argvSecrets(['lint', 'oci://me:pa%40ss-word@host/x', '--repo=https://u:second-pw@r/c', '--password', 'third-pw', '--set', 'db=pg://a:b@h'])).toEqual([
      'pa%40ss-word',
      'pa@ss-word',
      'second-pw',
      'third-pw',
    ]);
    expect(redactSecrets('Get "https://u:second-pw@r/c/index.yaml"', argvSecrets(['https://u:second-pw@r/c']))).toBe('Get "https://u:***@r/c/index.yaml"');
    expect(withoutPassword('oci://me:long-secret@host:5000/charts/app')).toBe('oci://me:***@host:5000/charts/app');
    expect(withoutPassword('./charts/app')).toBe('./charts/app');
  });
});
