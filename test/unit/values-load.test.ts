import { describe, expect, it } from 'vitest';
import { parseValues } from '../../src/values/load.js';
import { getIn } from '../../src/values/tree.js';
import { pathKey, type ValueOrigin, type ValuesPath, type ValuesSource } from '../../src/values/types.js';
import { usageError } from '../helpers/usage-error.js';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;
const originAt = (source: ValuesSource, ...path: ValuesPath): ValueOrigin | undefined => source.origins.get(pathKey(path));
const keysOf = (source: ValuesSource): string[] => [...source.origins.keys()].map((key) => key.replaceAll('\u0000', '|')).sort();

describe('parseValues positions', () => {
  it('records line and column of scalars in nested maps, quoted or not, and of each mapping', () => {
    const source = parseValues(
      lines('image:', '  repository: nginx', '  pullPolicy: "IfNotPresent"', 'deep:', '  a:', "    b: 'x' # note", 'replicas: 3'),
      'chart/values.yaml',
    );
    expect(source.tree).toEqual({ image: { repository: 'nginx', pullPolicy: 'IfNotPresent' }, deep: { a: { b: 'x' } }, replicas: 3 });
    expect(originAt(source, 'image', 'repository')).toEqual({ file: 'chart/values.yaml', path: 'image.repository', line: 2, column: 15 });
    expect(originAt(source, 'image', 'pullPolicy')).toEqual({ file: 'chart/values.yaml', path: 'image.pullPolicy', line: 3, column: 15 });
    expect(originAt(source, 'deep', 'a', 'b')).toEqual({ file: 'chart/values.yaml', path: 'deep.a.b', line: 6, column: 8 });
    expect(originAt(source, 'replicas')).toEqual({ file: 'chart/values.yaml', path: 'replicas', line: 7, column: 11 });
    // A mapping sits where its first key starts.
    expect(originAt(source, 'image')).toMatchObject({ path: 'image', line: 2, column: 3 });
    expect(keysOf(source)).toEqual(['deep', 'deep|a', 'deep|a|b', 'image', 'image|pullPolicy', 'image|repository', 'replicas']);
  });

  it('records list elements by index, block and flow', () => {
    const source = parseValues(
      lines('sidecars:', '  - name: log', '    image: busybox:1.36.1', '  - name: proxy', '    image: "envoyproxy/envoy:v1.30.1"', 'args: [a, "b c"]'),
      'values.yaml',
    );
    expect(originAt(source, 'sidecars', 0, 'image')).toEqual({ file: 'values.yaml', path: 'sidecars[0].image', line: 3, column: 12 });
    expect(originAt(source, 'sidecars', 1, 'image')).toEqual({ file: 'values.yaml', path: 'sidecars[1].image', line: 5, column: 12 });
    expect(originAt(source, 'sidecars', 1)).toEqual({ file: 'values.yaml', path: 'sidecars[1]', line: 4, column: 5 });
    expect(originAt(source, 'sidecars')).toEqual({ file: 'values.yaml', path: 'sidecars', line: 2, column: 3 });
    expect(originAt(source, 'args', 1)).toEqual({ file: 'values.yaml', path: 'args[1]', line: 6, column: 11 });
    expect(getIn(source.tree, ['sidecars', 1, 'image'])).toBe('envoyproxy/envoy:v1.30.1');
  });

  it('keeps the text YAML wrote: a quoted version is a string, an unquoted one a number', () => {
    const source = parseValues(lines('a: "1.10"', 'b: 1.10', 'c: !!str 1.10', 'd: &t v1'), 'values.yaml');
    expect(source.tree).toEqual({ a: '1.10', b: 1.1, c: '1.10', d: 'v1' });
    expect(originAt(source, 'a')).toMatchObject({ line: 1, column: 4 });
    expect(originAt(source, 'b')).toMatchObject({ line: 2, column: 4 });
    // Tags and anchors are not the scalar: the position is the value's own.
    expect(originAt(source, 'c')).toMatchObject({ line: 3, column: 10 });
    expect(originAt(source, 'd')).toMatchObject({ line: 4, column: 7 });
  });

  it('keeps an origin for an empty value `tag:` on its line', () => {
    const source = parseValues(lines('image:', '  repository: nginx', '  tag:', '  pullPolicy: Always'), 'values.yaml');
    expect(source.tree).toEqual({ image: { repository: 'nginx', tag: null, pullPolicy: 'Always' } });
    expect(originAt(source, 'image', 'tag')).toMatchObject({ file: 'values.yaml', path: 'image.tag', line: 3 });
  });

  // Regression test (found by these tests, fixed in src/values).
  it('points an empty value `tag:` at its key', () => {
    const source = parseValues(lines('image:', '  repository: nginx', '  tag:', '  pullPolicy: Always'), 'values.yaml');
    expect(originAt(source, 'image', 'tag')).toEqual({ file: 'values.yaml', path: 'image.tag', line: 3, column: 3 });
  });

  it('formats keys with dots or spaces as ["a.b"] and keys them by the raw key', () => {
    const source = parseValues(
      lines('a.b: 1', 'my key: x', 'labels:', '  app.kubernetes.io/name: web', '  "quoted key": y', 'list:', '  - k.v: 2'),
      'values.yaml',
    );
    expect(originAt(source, 'a.b')).toEqual({ file: 'values.yaml', path: '["a.b"]', line: 1, column: 6 });
    expect(originAt(source, 'my key')).toEqual({ file: 'values.yaml', path: '["my key"]', line: 2, column: 9 });
    expect(originAt(source, 'labels', 'app.kubernetes.io/name')).toMatchObject({ path: 'labels["app.kubernetes.io/name"]', line: 4 });
    expect(originAt(source, 'labels', 'quoted key')).toMatchObject({ path: 'labels["quoted key"]', line: 5, column: 17 });
    expect(originAt(source, 'list', 0, 'k.v')).toMatchObject({ path: 'list[0]["k.v"]', line: 7, column: 10 });
    expect(originAt(source, 'a', 'b')).toBeUndefined();
  });

  it('parses an empty or comment-only file as {} with no origins', () => {
    expect(parseValues('', 'values.yaml')).toEqual({ tree: {}, origins: new Map() });
    expect(parseValues('# nothing\n', 'values.yaml')).toEqual({ tree: {}, origins: new Map() });
  });

  // Regression test (found by these tests, fixed in src/values).
  it('points a duplicated key at the occurrence whose value is used (the last)', () => {
    const source = parseValues(lines('tag: a', 'tag: b'), 'values.yaml');
    expect(source.tree).toEqual({ tag: 'b' });
    expect(originAt(source, 'tag')).toEqual({ file: 'values.yaml', path: 'tag', line: 2, column: 6 });
  });
});

describe('parseValues refusals', () => {
  it.each([
    ['tab indentation', lines('a: 1', '\tb: 2'), 2, 'Tabs are not allowed as indentation'],
    ['misaligned mapping', lines('a: 1', 'b:', '  c: 1', ' d: 2'), 4, 'All mapping items must start at the same column'],
    ['nested compact mapping', lines('a: 1', 'key: value: other'), 2, 'Nested mappings are not allowed'],
  ])('throws a UsageError naming file:line for %s', (_name, text, line, reason) => {
    const error = usageError(() => parseValues(text, 'my/values.yaml'));
    expect(error.message.startsWith(`my/values.yaml:${line}: invalid YAML: `)).toBe(true);
    expect(error.message).toContain(reason);
    expect(error.exitCode).toBe(2);
  });

  it('refuses an alias bomb with a UsageError instead of expanding it', () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let previous = 'a';
    for (const name of 'bcdefghi') {
      text += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]\n`;
      previous = name;
    }
    const error = usageError(() => parseValues(text, 'bomb.yaml'));
    expect(error.message).toMatch(/^bomb\.yaml: .*alias/i);
  });

  it('still accepts ordinary aliases', () => {
    const source = parseValues(lines('base: &b {repository: nginx, tag: "1.0"}', 'copy: *b'), 'values.yaml');
    expect(source.tree).toEqual({ base: { repository: 'nginx', tag: '1.0' }, copy: { repository: 'nginx', tag: '1.0' } });
    expect(originAt(source, 'base', 'tag')).toMatchObject({ line: 1, column: 35 });
  });

  // Regression test (found by these tests, fixed in src/values).
  it('gives the scalars of an aliased mapping an origin (the anchored text)', () => {
    const source = parseValues(lines('base: &b {repository: nginx, tag: "1.0"}', 'copy: *b'), 'values.yaml');
    expect(originAt(source, 'copy', 'tag')).toMatchObject({ line: 1, column: 35 });
  });
});

// ---- property-style check: a tiny seeded generator of values documents ----

type GenNode =
  | { kind: 'scalar'; written: string; value: unknown }
  | { kind: 'map'; entries: { keyText: string; key: string; node: GenNode }[] }
  | { kind: 'list'; items: GenNode[] };

const SCALARS: readonly (readonly [string, unknown])[] = [
  ['nginx', 'nginx'], ['busybox:1.36.1', 'busybox:1.36.1'], ['registry.k8s.io/pause:3.9', 'registry.k8s.io/pause:3.9'],
  ['1.10', 1.1], ['16', 16], ['true', true], ['"1.10"', '1.10'], ['"v1: two"', 'v1: two'], ['""', ''],
  ["'it''s'", "it's"], ['"a # b"', 'a # b'], ['IfNotPresent', 'IfNotPresent'],
];
const KEYS: readonly (readonly [string, string])[] = [
  ['image', 'image'], ['tag', 'tag'], ['repository', 'repository'], ['a.b', 'a.b'], ['with space', 'with space'],
  ['"quoted key"', 'quoted key'], ['x-y', 'x-y'], ["'single'", 'single'], ['sidecars', 'sidecars'],
];

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(rand: () => number, depth: number, kind: 'map' | 'any'): GenNode {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const roll = rand();
  if (kind === 'any' && (depth >= 3 || roll < 0.5)) {
    const [written, value] = pick(SCALARS);
    return { kind: 'scalar', written, value };
  }
  if (kind === 'any' && roll < 0.75) {
    const items = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => generate(rand, depth + 1, rand() < 0.6 ? 'any' : 'map'));
    return { kind: 'list', items: items.map((item) => (item.kind === 'list' ? generate(rand, 3, 'any') : item)) };
  }
  const keys = [...KEYS].sort(() => rand() - 0.5).slice(0, 1 + Math.floor(rand() * 3));
  return { kind: 'map', entries: keys.map(([keyText, key]) => ({ keyText, key, node: generate(rand, depth + 1, 'any') })) };
}

interface Expected {
  path: ValuesPath;
  line: number;
  column: number;
  written: string;
  value?: unknown;
}

function serialize(root: GenNode, rand: () => number): { text: string; expected: Expected[] } {
  const out: string[] = [];
  const expected: Expected[] = [];
  const writeMap = (node: GenNode & { kind: 'map' }, indent: number, path: ValuesPath, lead?: string): void => {
    node.entries.forEach(({ keyText, key, node: child }, i) => {
      const prefix = i === 0 && lead !== undefined ? lead : ' '.repeat(indent);
      if (i === 0 && path.length > 0) expected.push({ path, line: out.length + 1, column: prefix.length + 1, written: keyText });
      const childPath = [...path, key];
      if (child.kind === 'scalar') {
        out.push(`${prefix}${keyText}: ${child.written}${rand() < 0.3 ? ' # note' : ''}`);
        expected.push({ path: childPath, line: out.length, column: prefix.length + keyText.length + 3, written: child.written, value: child.value });
        return;
      }
      out.push(`${prefix}${keyText}:`);
      if (child.kind === 'map') writeMap(child, indent + 2, childPath);
      else writeList(child, indent + 2, childPath);
    });
  };
  const writeList = (node: GenNode & { kind: 'list' }, indent: number, path: ValuesPath): void => {
    const lead = `${' '.repeat(indent)}- `;
    expected.push({ path, line: out.length + 1, column: indent + 1, written: '-' });
    node.items.forEach((item, index) => {
      if (item.kind === 'scalar') {
        out.push(`${lead}${item.written}`);
        expected.push({ path: [...path, index], line: out.length, column: lead.length + 1, written: item.written, value: item.value });
      } else if (item.kind === 'map') {
        writeMap(item, indent + 2, [...path, index], lead);
      }
    });
  };
  if (root.kind === 'map') writeMap(root, 0, []);
  return { text: `${out.join('\n')}\n`, expected };
}

/** Independent of types.ts: `a.b[0]["x y"]`. */
const shown = (path: ValuesPath): string =>
  path.map((key, i) => (typeof key === 'number' ? `[${key}]` : /^[\w-]+$/.test(key) ? (i === 0 ? key : `.${key}`) : `["${key}"]`)).join('');

describe('parseValues positions on generated documents', () => {
  it('points every origin at text that starts with the scalar as written (300 seeds)', () => {
    let checked = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rand = mulberry32(seed);
      const { text, expected } = serialize(generate(rand, 0, 'map'), rand);
      const source = parseValues(text, 'gen.yaml');
      const textLines = text.split('\n');
      const where = `seed ${seed}:\n${text}`;
      expect([...source.origins.keys()].sort(), where).toEqual(expected.map((entry) => pathKey(entry.path)).sort());
      for (const entry of expected) {
        const origin = source.origins.get(pathKey(entry.path));
        expect(origin, where).toEqual({ file: 'gen.yaml', path: shown(entry.path), line: entry.line, column: entry.column });
        const at = textLines[origin!.line! - 1]!.slice(origin!.column! - 1);
        expect(at.startsWith(entry.written), `${where}\n${shown(entry.path)} at "${at}"`).toBe(true);
        if ('value' in entry) expect(getIn(source.tree, entry.path), where).toEqual(entry.value);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(1500);
  });
});
