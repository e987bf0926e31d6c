/** Unquoted numeric tags: found with their position, quoted in place (src/schema/numeric-tags.ts). */
import { describe, expect, it } from 'vitest';
import { describeNumericTag, findNumericTags, quoteNumericTags } from '../../src/schema/numeric-tags.js';

const VALUES = [
  '# Postgres image',
  'image:',
  '  repository: postgres',
  '  tag: 16   # major only, on purpose',
  'exporter:',
  '  image: {repository: exporter, tag: 1.10}',
  'sidecars:',
  '  - repository: busybox',
  '    tag: 010',
  'quoted:',
  '  tag: "1.10"',
  'words:',
  '  tag: v1.2',
  'octal:',
  '  tag: 0o17',
  '',
].join('\n');

const PATHS = [['image', 'tag'], ['exporter', 'image', 'tag'], ['sidecars', 0, 'tag'], ['quoted', 'tag'], ['words', 'tag'], ['octal', 'tag'], ['missing', 'tag']];

describe('numeric tags', () => {
  it('finds the plain numeric scalars with what helm reads (YAML 1.1)', () => {
    expect(findNumericTags(VALUES, PATHS).map(({ path, text, value, line, column }) => ({ path: path.join('.'), text, value, line, column }))).toEqual([
      { path: 'image.tag', text: '16', value: 16, line: 4, column: 8 },
      { path: 'exporter.image.tag', text: '1.10', value: 1.1, line: 6, column: 38 },
      { path: 'sidecars.0.tag', text: '010', value: 8, line: 9, column: 10 },
      { path: 'octal.tag', text: '0o17', value: 15, line: 15, column: 8 },
    ]);
  });

  it('quotes them as written, keeping comments, flow style and every other byte', () => {
    const fixed = quoteNumericTags(VALUES, findNumericTags(VALUES, PATHS));
    expect(fixed).toBe(
      VALUES.replace('tag: 16   #', 'tag: "16"   #').replace('tag: 1.10}', 'tag: "1.10"}').replace('tag: 010', 'tag: "010"').replace('tag: 0o17', 'tag: "0o17"'),
    );
    expect(findNumericTags(fixed, PATHS)).toEqual([]);
  });

  it('says what helm does with it', () => {
    const [, exporter] = findNumericTags(VALUES, PATHS);
    expect(describeNumericTag(exporter!)).toBe(
      'exporter.image.tag: 1.10 is a number to helm, so the image gets "1.1"; quote it ("1.10") or run with --fix-numeric-tags',
    );
  });
});
