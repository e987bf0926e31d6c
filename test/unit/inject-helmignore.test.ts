/**
 * .helmignore as helm applies it: Go's filepath.Match (its own test table, plus the cases helm's loader hits) and
 * helm's rule order, directory-only rules, base-name rules and the `!` quirk. test/e2e/inject-helmignore.test.ts
 * checks the same rules against the real helm binaries.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { BadPatternError, goMatch } from '../../src/inject/go-glob.js';
import { describeRule, ignoredFile, parseHelmIgnore } from '../../src/inject/helmignore.js';

describe('goMatch (Go path/filepath.Match, Unix)', () => {
  // Go's match_test.go table (path/filepath), as of Go 1.23.
  it.each<[string, string, boolean | 'bad']>([
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'abc', true],
    ['a*', 'ab/c', false],
    ['a*/b', 'abc/b', true],
    ['a*/b', 'a/c/b', false],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzy', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abc', false],
    ['ab[^e-g]', 'abc', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['a[^a][^a][^a]b', 'a☺b', false],
    ['[a-ζ]*', 'α', true],
    ['*[a-ζ]', 'A', false],
    ['a?b', 'a/b', false],
    ['a*b', 'a/b', false],
    ['[\\]a]', ']', true],
    ['[\\-]', '-', true],
    ['[x\\-]', 'x', true],
    ['[x\\-]', '-', true],
    ['[x\\-]', 'z', false],
    ['[\\-x]', 'x', true],
    ['[\\-x]', '-', true],
    ['[\\-x]', 'a', false],
    ['[]a]', ']', 'bad'],
    ['[-]', '-', 'bad'],
    ['[x-]', 'x', 'bad'],
    ['[x-]', '-', 'bad'],
    ['[x-]', 'z', 'bad'],
    ['[-x]', 'x', 'bad'],
    ['[-x]', '-', 'bad'],
    ['[-x]', 'a', 'bad'],
    ['\\', 'a', 'bad'],
    ['[a-b-c]', 'a', 'bad'],
    ['[', 'a', 'bad'],
    ['[^', 'a', 'bad'],
    ['[^bc', 'a', 'bad'],
    ['a[', 'a', 'bad'],
    ['a[', 'ab', 'bad'],
    ['a[', 'x', 'bad'],
    ['a/b[', 'x', 'bad'],
    ['*x', 'xxx', true],
  ])('Match(%j, %j) = %s', (pattern, name, expected) => {
    if (expected === 'bad') expect(() => goMatch(pattern, name)).toThrow(BadPatternError);
    else expect(goMatch(pattern, name)).toBe(expected);
  });
});

describe('parseHelmIgnore', () => {
  const ignore = parseHelmIgnore(
    '\ufeff# comment\n\n  tests/  \r\n*.bak\ntemplates/old-*.yaml\n/templates/x.yaml\nnotes\n[abc].yaml\n',
    'chart/.helmignore',
  );
  const rule = (path: string, isDirectory = false) => {
    const found = ignore.ruleFor(path, isDirectory);
    return found ? describeRule(found) : null;
  };

  it('skips comments and blank lines, trims each line and the BOM, numbers rules by line', () => {
    expect(ignore.rules.map((r) => [r.line, r.text])).toEqual([
      [3, 'tests/'],
      [4, '*.bak'],
      [5, 'templates/old-*.yaml'],
      [6, '/templates/x.yaml'],
      [7, 'notes'],
      [8, '[abc].yaml'],
      [0, 'templates/.?*'],
    ]);
  });

  it('matches as helm does: trailing / directories only, a / the whole path, no / the base name at any depth', () => {
    expect(rule('templates/tests', true)).toBe('.helmignore:3 "tests/"');
    expect(rule('tests', true)).toBe('.helmignore:3 "tests/"');
    expect(rule('templates/tests')).toBeNull(); // a file named tests
    expect(rule('templates/deep/a.bak')).toBe('.helmignore:4 "*.bak"');
    expect(rule('templates/old-a.yaml')).toBe('.helmignore:5 "templates/old-*.yaml"');
    expect(rule('templates/sub/old-a.yaml')).toBeNull(); // * does not cross /
    expect(rule('templates/x.yaml')).toBe('.helmignore:6 "/templates/x.yaml"');
    expect(rule('templates/sub/notes', true)).toBe('.helmignore:7 "notes"');
    expect(rule('templates/b.yaml')).toBe('.helmignore:8 "[abc].yaml"');
    expect(rule('templates/d.yaml')).toBeNull();
    expect(rule('templates/.hidden.yaml')).toBe('helm ignores dot files in templates/');
    expect(rule('templates/sub/.hidden.yaml')).toBeNull(); // the default rule is templates/.?* only
  });

  it('ignores a file below an ignored directory, naming the directory', () => {
    expect(ignoredFile(ignore, 'templates/tests/test-connection.yaml')).toMatchObject({ path: 'templates/tests/', rule: { line: 3 } });
    expect(ignoredFile(ignore, 'templates/deployment.yaml')).toBeNull();
  });

  it('keeps helm\'s "!" quirk: a path that does not match a ! rule is ignored by it', () => {
    const negated = parseHelmIgnore('*.tgz\n!keep.tgz\n', 'f');
    expect(negated.ruleFor('charts/a.tgz', false)?.line).toBe(1);
    expect(negated.ruleFor('charts/keep.tgz', false)?.line).toBe(1); // an earlier positive match wins
    expect(negated.ruleFor('Chart.yaml', false)?.line).toBe(2);
    expect(negated.ruleFor('templates', true)?.line).toBe(2);
    expect(parseHelmIgnore('!keep.tgz\n', 'f').ruleFor('keep.tgz', false)).toBeNull();
    expect(parseHelmIgnore('!dir/\n', 'f').ruleFor('dir', false)?.line).toBe(1); // a file never matches a directory ! rule
  });

  it.each([
    ['templates/**/test.yaml', /^chart\/\.helmignore:2: templates\/\*\*\/test\.yaml: helm does not support "\*\*" and refuses to load the chart/],
    ['[', /^chart\/\.helmignore:2: \[: not a valid pattern \(helm refuses to load the chart: syntax error in pattern\)$/],
    ['a\\', /not a valid pattern/],
  ])('refuses %j as helm does', (line, message) => {
    expect(() => parseHelmIgnore(`ok\n${line}\n`, 'chart/.helmignore')).toThrow(UsageError);
    expect(() => parseHelmIgnore(`ok\n${line}\n`, 'chart/.helmignore')).toThrow(message);
  });

  it('without a .helmignore only the default rule applies', () => {
    expect(parseHelmIgnore(null, 'f').rules.map((r) => r.text)).toEqual(['templates/.?*']);
  });
});
