import { describe, expect, it } from 'vitest';
import { parseValues } from '../../src/values/load.js';
import { mergeSources, type EffectiveValues, type PlacedSource } from '../../src/values/merge.js';
import type { ValuesPath } from '../../src/values/types.js';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;
const at = (file: string, prefix: ValuesPath, ...text: string[]): PlacedSource => ({ source: parseValues(lines(...text), file), prefix });
const root = (file: string, ...text: string[]): PlacedSource => at(file, [], ...text);

/** Origins as `key|path -> file:path:line:column`, sorted, for exact comparison. */
function originsOf(effective: EffectiveValues): string[] {
  return [...effective.origins.entries()]
    .map(([key, o]) => `${key.replaceAll('\u0000', '|')} -> ${o.file}:${o.path}:${o.line}:${o.column}`)
    .sort();
}

describe('mergeSources', () => {
  it('lets a later source win for a scalar and keeps the origins of keys it does not touch', () => {
    const merged = mergeSources([
      root('chart/values.yaml', 'image:', '  repository: nginx', '  tag: "1.0"', 'replicas: 1'),
      root('prod.yaml', 'image:', '  tag: "2.0"'),
    ]);
    expect(merged.tree).toEqual({ image: { repository: 'nginx', tag: '2.0' }, replicas: 1 });
    expect(originsOf(merged)).toEqual([
      'image -> chart/values.yaml:image:2:3',
      'image|repository -> chart/values.yaml:image.repository:2:15',
      'image|tag -> prod.yaml:image.tag:2:8',
      'replicas -> chart/values.yaml:replicas:4:11',
    ]);
  });

  it('merges mappings key by key at every depth', () => {
    const merged = mergeSources([
      root('a.yaml', 'a:', '  b:', '    c: 1', '  x: keep'),
      root('b.yaml', 'a:', '  b:', '    d: 2', 'z: new'),
      root('c.yaml', 'a: {}'),
    ]);
    expect(merged.tree).toEqual({ a: { b: { c: 1, d: 2 }, x: 'keep' }, z: 'new' });
    expect(originsOf(merged)).toEqual([
      'a -> a.yaml:a:2:3',
      'a|b -> a.yaml:a.b:3:5',
      'a|b|c -> a.yaml:a.b.c:3:8',
      'a|b|d -> b.yaml:a.b.d:3:8',
      'a|x -> a.yaml:a.x:4:6',
      'z -> b.yaml:z:4:4',
    ]);
  });

  it('replaces a list wholesale, element origins from the winning source only', () => {
    const merged = mergeSources([
      root('chart/values.yaml', 'sidecars:', '  - name: log', '    image: busybox:1.36.1', '  - name: proxy', '    image: envoy:v1'),
      root('user.yaml', 'sidecars:', '  - image: alpine:3.20.1'),
    ]);
    expect(merged.tree).toEqual({ sidecars: [{ image: 'alpine:3.20.1' }] });
    expect(originsOf(merged)).toEqual([
      'sidecars -> user.yaml:sidecars:2:3',
      'sidecars|0 -> user.yaml:sidecars[0]:2:5',
      'sidecars|0|image -> user.yaml:sidecars[0].image:2:12',
    ]);
  });

  it('keeps a list and its element origins when no later source names it', () => {
    const merged = mergeSources([
      root('chart/values.yaml', 'args: [a, b]', 'image: nginx:1.25.3'),
      root('user.yaml', 'image: nginx:1.27.0'),
    ]);
    expect(merged.tree).toEqual({ args: ['a', 'b'], image: 'nginx:1.27.0' });
    expect(originsOf(merged)).toEqual([
      'args -> chart/values.yaml:args:1:7',
      'args|0 -> chart/values.yaml:args[0]:1:8',
      'args|1 -> chart/values.yaml:args[1]:1:11',
      'image -> user.yaml:image:1:8',
    ]);
  });

  it('deletes a key and its origins when a later source sets it to null', () => {
    const merged = mergeSources([
      root('chart/values.yaml', 'image:', '  repository: nginx', '  tag: "1.0"', 'sidecar:', '  image: busybox:1.36.1'),
      root('user.yaml', 'image:', '  tag: null', 'sidecar: ~'),
    ]);
    expect(merged.tree).toEqual({ image: { repository: 'nginx' } });
    expect(originsOf(merged)).toEqual([
      'image -> chart/values.yaml:image:2:3',
      'image|repository -> chart/values.yaml:image.repository:2:15',
    ]);
  });

  it('treats an empty value in a later source as null: the key is removed', () => {
    const merged = mergeSources([root('chart/values.yaml', 'image:', '  tag: "1.0"'), root('user.yaml', 'image:', '  tag:')]);
    expect(merged.tree).toEqual({ image: {} });
    expect(merged.origins.has('image\u0000tag')).toBe(false);
  });

  it('replaces a scalar by a mapping and back, dropping stale children', () => {
    const first = root('a.yaml', 'image: nginx:1.25.3');
    const second = root('b.yaml', 'image:', '  repository: nginx', '  tag: "1.27.0"');
    const third = root('c.yaml', 'image: busybox:1.36.1');
    const toMapping = mergeSources([first, second]);
    expect(toMapping.tree).toEqual({ image: { repository: 'nginx', tag: '1.27.0' } });
    expect(originsOf(toMapping)).toEqual([
      'image -> b.yaml:image:2:3',
      'image|repository -> b.yaml:image.repository:2:15',
      'image|tag -> b.yaml:image.tag:3:8',
    ]);
    const back = mergeSources([first, second, third]);
    expect(back.tree).toEqual({ image: 'busybox:1.36.1' });
    expect(originsOf(back)).toEqual(['image -> c.yaml:image:1:8']);
  });

  it('replaces a list by a mapping', () => {
    const merged = mergeSources([root('a.yaml', 'l:', '  - x', '  - y'), root('b.yaml', 'l:', '  k: v')]);
    expect(merged.tree).toEqual({ l: { k: 'v' } });
    expect(originsOf(merged)).toEqual(['l -> b.yaml:l:2:3', 'l|k -> b.yaml:l.k:2:6']);
  });

  it('places a subchart source under its prefix; the parent overrides it under the subchart key', () => {
    const merged = mergeSources([
      at('demo/charts/sub/values.yaml', ['sub'], 'image:', '  repository: sub-app', '  tag: "1.0"', 'extra:', '  - image: busybox:1.36.1'),
      root('demo/values.yaml', 'image:', '  repository: demo-app', 'sub:', '  image:', '    tag: "2.0"'),
    ]);
    expect(merged.tree).toEqual({
      image: { repository: 'demo-app' },
      sub: { image: { repository: 'sub-app', tag: '2.0' }, extra: [{ image: 'busybox:1.36.1' }] },
    });
    // Paths stay as written in each file; the keys carry the prefix.
    expect(originsOf(merged)).toEqual([
      'image -> demo/values.yaml:image:2:3',
      'image|repository -> demo/values.yaml:image.repository:2:15',
      'sub -> demo/values.yaml:sub:4:3',
      'sub|extra -> demo/charts/sub/values.yaml:extra:5:3',
      'sub|extra|0 -> demo/charts/sub/values.yaml:extra[0]:5:5',
      'sub|extra|0|image -> demo/charts/sub/values.yaml:extra[0].image:5:12',
      'sub|image -> demo/charts/sub/values.yaml:image:2:3',
      'sub|image|repository -> demo/charts/sub/values.yaml:image.repository:2:15',
      'sub|image|tag -> demo/values.yaml:sub.image.tag:5:10',
    ]);
  });

  it('nests prefixes for a sub-subchart', () => {
    const merged = mergeSources([at('deep.yaml', ['sub', 'inner'], 'image: nginx:1.25.3'), root('values.yaml', 'replicas: 2')]);
    expect(merged.tree).toEqual({ sub: { inner: { image: 'nginx:1.25.3' } }, replicas: 2 });
    expect(originsOf(merged)).toEqual(['replicas -> values.yaml:replicas:1:11', 'sub|inner|image -> deep.yaml:image:1:8']);
  });

  it('does not mutate the sources it merges', () => {
    const chart = root('a.yaml', 'image:', '  repository: nginx', '  tag: "1.0"');
    const user = root('b.yaml', 'image:', '  tag: null');
    const before = JSON.stringify([chart.source.tree, user.source.tree, [...chart.source.origins], [...user.source.origins]]);
    mergeSources([chart, user]);
    expect(JSON.stringify([chart.source.tree, user.source.tree, [...chart.source.origins], [...user.source.origins]])).toBe(before);
  });
});
