/** The in-memory chart archive reader: tar formats, hostile entries, limits, and charts inside archives. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveBudget, chartPath, readChartArchive, readChartArchiveFile } from '../../src/values/chart-archive.js';
import { archiveChart } from '../../src/values/chart-files.js';
import { loadHelmChart } from '../../src/values/helm-chart.js';
import { chartEntries, gnuLongName, pax, tar, targz, type RawEntry } from '../helpers/tar.js';
import { usageError } from '../helpers/usage-error.js';

const work = mkdtempSync(join(tmpdir(), 'imageguard-archive-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(name: string, bytes: Buffer): string {
  const path = join(work, name);
  writeFileSync(path, bytes);
  return path;
}

function names(archive: { files: Map<string, Buffer> }): string[] {
  return [...archive.files.keys()].sort();
}

describe('readChartArchive: tar formats', () => {
  it('reads ustar files below the top directory and skips directories', () => {
    const archive = readChartArchive(targz([...chartEntries('demo'), { name: 'demo/templates/', type: '5' }, { name: 'demo/templates/a.yaml', data: 'a' }]), 'demo.tgz');
    expect(archive.top).toBe('demo');
    expect(names(archive)).toEqual(['Chart.yaml', 'templates/a.yaml', 'values.yaml']);
    expect(archive.files.get('templates/a.yaml')!.toString()).toBe('a');
  });

  it('joins the ustar prefix and name', () => {
    const deep = `${'d'.repeat(90)}/${'e'.repeat(40)}`;
    const archive = readChartArchive(targz([...chartEntries('demo'), { prefix: `demo/templates/${deep}`, name: 'x.yaml', data: 'x' }]), 'demo.tgz');
    expect(names(archive)).toContain(`templates/${deep}/x.yaml`);
  });

  it('takes the path of a pax extended header (longer than ustar can hold, UTF-8) for the next entry only', () => {
    const long = `demo/templates/${'p'.repeat(150)}/${'q'.repeat(150)}/größe.yaml`;
    const archive = readChartArchive(
      targz([...chartEntries('demo'), pax({ path: long, mtime: '1700000000.5' }), { name: 'demo/short-name', data: 'long' }, { name: 'demo/after.yaml', data: 'after' }]),
      'demo.tgz',
    );
    expect(names(archive)).toEqual(['Chart.yaml', 'after.yaml', long.slice('demo/'.length), 'values.yaml']);
    expect(archive.files.get(long.slice('demo/'.length))!.toString()).toBe('long');
  });

  it('takes a pax size over the header size', () => {
    const entries: RawEntry[] = [...chartEntries('demo'), pax({ size: '3' }), { name: 'demo/sized', data: 'abc', size: 0 }, { name: 'demo/next', data: 'n' }];
    const archive = readChartArchive(targz(entries), 'demo.tgz');
    expect(archive.files.get('sized')!.toString()).toBe('abc');
    expect(archive.files.get('next')!.toString()).toBe('n');
  });

  it('ignores the path of a global pax header (g), as Go and helm do', () => {
    const archive = readChartArchive(targz([pax({ path: 'demo/global-name' }, 'g'), ...chartEntries('demo')]), 'demo.tgz');
    expect(names(archive)).toEqual(['Chart.yaml', 'values.yaml']);
  });

  it('reads GNU long names (L)', () => {
    const long = `demo/templates/${'g'.repeat(200)}.yaml`;
    const archive = readChartArchive(targz([...chartEntries('demo', undefined), gnuLongName(long), { name: long.slice(0, 100), data: 'gnu', gnu: true }]), 'demo.tgz');
    expect(archive.files.get(long.slice('demo/'.length))!.toString()).toBe('gnu');
  });

  it('accepts a stream without the end-of-archive blocks, as Go does', () => {
    const archive = readChartArchive(gzipSync(tar(chartEntries('demo'), { end: false })), 'demo.tgz');
    expect(names(archive)).toEqual(['Chart.yaml', 'values.yaml']);
  });
});

describe('readChartArchive: hostile entries are skipped', () => {
  it('skips traversal and absolute paths, links and devices, keeping the chart', () => {
    const archive = readChartArchive(
      targz([
        ...chartEntries('demo'),
        { name: '../evil/values.yaml', data: 'evil' },
        { name: 'demo/../../evil.yaml', data: 'evil' },
        { name: 'demo/templates/../../../etc/passwd', data: 'evil' },
        { name: '/etc/passwd', data: 'evil' },
        { name: 'C:/Windows/evil.yaml', data: 'evil' },
        { name: 'demo\\..\\..\\evil.yaml', data: 'evil' },
        pax({ path: 'demo/../../pax-evil.yaml' }),
        { name: 'demo/harmless-name', data: 'evil' },
        { name: 'demo/templates/link.yaml', type: '2', linkname: '/etc/passwd' },
        { name: 'demo/templates/hard.yaml', type: '1', linkname: 'demo/Chart.yaml' },
        { name: 'demo/fifo', type: '6' },
      ]),
      'demo.tgz',
    );
    expect(names(archive)).toEqual(['Chart.yaml', 'values.yaml']);
    for (const data of archive.files.values()) expect(data.toString()).not.toBe('evil');
  });

  it.each([
    ['demo/values.yaml', { top: 'demo', path: 'values.yaml' }],
    ['./demo/./templates//a.yaml', { top: 'demo', path: 'templates/a.yaml' }],
    ['demo\\templates\\a.yaml', { top: 'demo', path: 'templates/a.yaml' }],
    ['demo', null],
    ['demo/', null],
    ['demo/../x', null],
    ['/abs/x', null],
    ['\\abs\\x', null],
    ['c:/x/y', null],
    ['demo/c:/y', null],
  ])('chartPath(%j)', (name, expected) => {
    expect(chartPath(name)).toEqual(expected);
  });
});

describe('readChartArchive: limits and corrupt input are usage errors naming the archive', () => {
  it('refuses an archive that unpacks beyond the byte limit, without inflating all of it', () => {
    const bomb = targz([...chartEntries('demo'), { name: 'demo/zeros', data: Buffer.alloc(4 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const error = usageError(() => readChartArchive(bomb, 'bomb.tgz', archiveBudget({ maxBytes: 1024 * 1024, maxEntries: 100, maxDepth: 8 })));
    expect(error.message).toBe('bomb.tgz: unpacks to more than 1 MiB; imageguard reads chart archives up to that size');
  });

  it('refuses a gzip bomb at the default limit (100 MiB)', () => {
    const path = write('bomb.tgz', targz([...chartEntries('demo'), { name: 'demo/zeros', data: Buffer.alloc(101 * 1024 * 1024) }]));
    expect(usageError(() => readChartArchiveFile(path)).message).toBe(`${path}: unpacks to more than 100 MiB; imageguard reads chart archives up to that size`);
  });

  it('refuses more entries than the limit', () => {
    const many: RawEntry[] = Array.from({ length: 20 }, (_, i) => ({ name: `demo/f${i}`, data: '' }));
    const error = usageError(() => readChartArchive(targz([...chartEntries('demo'), ...many]), 'many.tgz', archiveBudget({ maxBytes: 1 << 20, maxEntries: 10, maxDepth: 8 })));
    expect(error.message).toBe('many.tgz: has more than 10 entries; imageguard reads chart archives up to that many');
  });

  it('names the file for a corrupt gzip stream', () => {
    const good = targz(chartEntries('demo'));
    const path = write('corrupt.tgz', Buffer.concat([good.subarray(0, 10), Buffer.from('this is not deflate data at all, just text'), good.subarray(-8)]));
    expect(usageError(() => readChartArchiveFile(path)).message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: corrupt chart archive: `));
  });

  it('names the file for a truncated gzip stream', () => {
    const good = targz(chartEntries('demo'));
    const path = write('truncated.tgz', good.subarray(0, good.length - 20));
    expect(usageError(() => readChartArchiveFile(path)).message).toContain(`${path}: corrupt chart archive: `);
  });

  it('names the file when it is not gzip at all', () => {
    const path = write('plain.tgz', tar(chartEntries('demo')));
    expect(usageError(() => readChartArchiveFile(path)).message).toBe(`${path}: not a chart archive (not gzip-compressed)`);
  });

  it('a missing archive file', () => {
    expect(usageError(() => readChartArchiveFile(join(work, 'nope.tgz'), 'nope.tgz')).message).toBe('cannot read chart archive nope.tgz: no such file');
  });

  it('a tar header with a bad checksum, a truncated entry, a bad pax header', () => {
    const stream = tar(chartEntries('demo'));
    stream[600] = stream[600]! ^ 0xff; // inside the second header's name
    expect(usageError(() => readChartArchive(gzipSync(stream), 'x.tgz')).message).toBe('x.tgz: corrupt chart archive: bad tar header checksum (not a tar archive, or a corrupt one)');
    const lying = tar([...chartEntries('demo'), { name: 'demo/big', data: 'abc', size: 4096 }], { end: false });
    expect(usageError(() => readChartArchive(gzipSync(lying), 'x.tgz')).message).toBe('x.tgz: corrupt chart archive: truncated tar archive (an entry runs past the end)');
    const badPax: RawEntry = { name: 'PaxHeaders/x', type: 'x', data: '99 path=x\n' };
    expect(usageError(() => readChartArchive(targz([badPax, ...chartEntries('demo')]), 'x.tgz')).message).toBe('x.tgz: corrupt chart archive: malformed pax extended header');
  });

  it('an archive without Chart.yaml in a top directory', () => {
    const entries: RawEntry[] = [{ name: 'Chart.yaml', data: 'name: x\n' }, { name: 'demo/values.yaml', data: '' }];
    expect(usageError(() => readChartArchive(targz(entries), 'x.tgz')).message).toBe('x.tgz: not a chart archive (no Chart.yaml in its top directory)');
  });
});

describe('charts inside archives', () => {
  const inner = targz([...chartEntries('common', 'image:\n  tag: "2.31.0"\n')]);
  const outer = targz([
    ...chartEntries('app', 'common:\n  image:\n    tag: "1"\n'),
    { name: 'app/charts/common-2.31.0.tgz', data: inner },
    ...chartEntries('app/charts/unpacked', 'x: 1\n', 'unpacked'),
    { name: 'app/charts/README.md', data: 'not a chart' },
  ]);

  it('reads nested charts/*.tgz and unpacked subcharts, shown as ARCHIVE:PATH', () => {
    const files = archiveChart(write('app-1.0.0.tgz', outer), 'app-1.0.0.tgz');
    expect(files.display).toBe('app-1.0.0.tgz:app');
    expect(files.show('values.yaml')).toBe('app-1.0.0.tgz:app/values.yaml');
    const subs = files.subcharts();
    expect(subs.map((sub) => sub.display)).toEqual(['app-1.0.0.tgz:app/charts/common-2.31.0.tgz:common', 'app-1.0.0.tgz:app/charts/unpacked']);
    expect(subs[0]!.show('values.yaml')).toBe('app-1.0.0.tgz:app/charts/common-2.31.0.tgz:common/values.yaml');
    expect(subs[0]!.read('values.yaml')).toBe('image:\n  tag: "2.31.0"\n');
    expect(subs[1]!.read('values.yaml')).toBe('x: 1\n');
    expect(subs[1]!.archive).toBe('app-1.0.0.tgz');
  });

  it('loadHelmChart reads the values of packaged subcharts with positions inside the archive', () => {
    const chart = loadHelmChart(archiveChart(write('app-1.0.0.tgz', outer), 'app-1.0.0.tgz'));
    const common = chart.subcharts.find((sub) => sub.name === 'common')!;
    expect(common.archive).toBe('app-1.0.0.tgz:app/charts/common-2.31.0.tgz');
    expect(common.valuesFile).toBe('app-1.0.0.tgz:app/charts/common-2.31.0.tgz:common/values.yaml');
    expect(common.values[0]!.origins.get('image\u0000tag')).toEqual({ file: common.valuesFile, path: 'image.tag', line: 2, column: 8 });
  });

  it('caps the nesting of archives in archives', () => {
    let archive = targz(chartEntries('c9'));
    for (let level = 8; level >= 0; level--) archive = targz([...chartEntries(`c${level}`), { name: `c${level}/charts/c${level + 1}.tgz`, data: archive }]);
    let files = archiveChart(write('nested.tgz', archive), 'nested.tgz');
    const error = usageError(() => {
      for (;;) files = files.subcharts()[0]!;
    });
    expect(error.message).toMatch(/^nested\.tgz:c0\/charts\/c1\.tgz:c1\/.*: chart archives nested more than 8 deep$/);
    expect(files.subcharts({ skipUnreadable: true })).toEqual([]);
  });

  it('nested archives share the byte budget of the archive on disk', () => {
    const zeros = targz([...chartEntries('z'), { name: 'z/zeros', data: Buffer.alloc(700 * 1024) }]);
    const parent = targz([...chartEntries('p'), { name: 'p/charts/a.tgz', data: zeros }, { name: 'p/charts/b.tgz', data: zeros }]);
    const budget = archiveBudget({ maxBytes: 1024 * 1024 + 200 * 1024, maxEntries: 1000, maxDepth: 8 });
    const archive = readChartArchive(parent, 'p.tgz', budget);
    readChartArchive(archive.files.get('charts/a.tgz')!, 'p.tgz:p/charts/a.tgz', budget);
    expect(usageError(() => readChartArchive(archive.files.get('charts/b.tgz')!, 'p.tgz:p/charts/b.tgz', budget)).message).toMatch(/^p\.tgz:p\/charts\/b\.tgz: unpacks to more than/);
  });
});
