/** The small mechanisms issue 10's fixes added: all-or-nothing writes, text decoding, argv password scrubbing. */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('puts every file back when a rename fails after others were renamed (a directory at the last target)', () => {
    const dir = mkdtempSync(join(work, 'rename-fails-'));
    writeFileSync(join(dir, 'a.txt'), 'old a');
    chmodSync(join(dir, 'a.txt'), 0o640);
    writeFileSync(join(dir, 'b.txt'), 'old b');
    // A non-empty directory where the last file goes: rename(2) refuses it with EISDIR, for root too. Step 1 does
    // not look at targets (the callers check them), so this fails in step 2, after a.txt, new/c.txt and b.txt
    // were renamed into place.
    mkdirSync(join(dir, 'blocked'));
    writeFileSync(join(dir, 'blocked', 'inside'), 'x');
    const before = { a: statSync(join(dir, 'a.txt')), b: statSync(join(dir, 'b.txt')) };
    const writes = [
      { path: join(dir, 'a.txt'), content: 'new a', before: 'old a' },
      { path: join(dir, 'new', 'c.txt'), content: 'c', before: null },
      { path: join(dir, 'b.txt'), content: 'new b', before: 'old b' },
      { path: join(dir, 'blocked'), content: 'never', before: null },
    ];
    let thrown: unknown;
    try {
      writeFilesAtomic(writes);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toBe(`cannot write ${join(dir, 'blocked')}: EISDIR: illegal operation on a directory`);
    expect((thrown as UsageError).detail, 'every file was put back').toBeUndefined();
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('old a');
    expect(readFileSync(join(dir, 'b.txt'), 'utf8')).toBe('old b');
    // The very same files (their backups were hard links renamed back), mode included.
    expect(statSync(join(dir, 'a.txt'))).toMatchObject({ ino: before.a.ino, mode: before.a.mode });
    expect(statSync(join(dir, 'b.txt')).ino).toBe(before.b.ino);
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.txt', 'blocked']);
    expect(readdirSync(join(dir, 'blocked'))).toEqual(['inside']);
  });

  it('on success leaves no temp file or backup, and keeps modes', () => {
    const dir = mkdtempSync(join(work, 'success-'));
    writeFileSync(join(dir, 'run.sh'), 'old');
    chmodSync(join(dir, 'run.sh'), 0o751);
    writeFilesAtomic([
      { path: join(dir, 'run.sh'), content: 'new', before: 'old' },
      { path: join(dir, 'sub', 'new.txt'), content: 'n', before: null },
    ]);
    expect(readFileSync(join(dir, 'run.sh'), 'utf8')).toBe('new');
    expect(statSync(join(dir, 'run.sh')).mode & 0o7777).toBe(0o751);
    expect(readdirSync(dir).sort()).toEqual(['run.sh', 'sub']);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['new.txt']);
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
