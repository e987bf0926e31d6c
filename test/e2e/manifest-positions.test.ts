// Lines of nodes in a rendered stream (lint --manifest, audit, release revisions): parseManifestStream reads plain
// documents with js-yaml and the line scanner; every image line must be the one the yaml package itself gives,
// on real helm output of every corpus chart.
import { execa } from 'execa';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isNode, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { parseManifestStream } from '../../src/manifest/parse.js';
import { assertHelmBinaries, HELM_VERSIONS, sharedDir } from '../helpers/helm.js';

const corpus = join(sharedDir, 'corpus');
const charts = readdirSync(corpus).filter((name) => !name.startsWith('_') && !name.endsWith('.json'));

/** Every `image` scalar of a stream, with its path in its document and its 1-based line, from the yaml package. */
function imageLines(stream: string): { doc: number; path: (string | number)[]; line: number }[] {
  const lineCounter = new LineCounter();
  const out: { doc: number; path: (string | number)[]; line: number }[] = [];
  parseAllDocuments(stream, { lineCounter, uniqueKeys: false }).forEach((doc, index) => {
    const visit = (node: Node | null, path: (string | number)[]): void => {
      if (isMap(node)) {
        for (const pair of node.items) {
          const key = String((pair.key as { value?: unknown }).value);
          if (key === 'image' && isNode(pair.value) && pair.value.range) out.push({ doc: index, path: [...path, key], line: lineCounter.linePos(pair.value.range[0]).line });
          visit(pair.value as Node, [...path, key]);
        }
      } else if (isSeq(node)) node.items.forEach((item, i) => visit(item as Node, [...path, i]));
    };
    visit(doc.contents as Node, []);
  });
  return out;
}

describe.each(HELM_VERSIONS)('manifest lines on helm $version output', ({ bin }) => {
  it.each(charts)('%s: every image line matches the yaml package', async (chart) => {
    assertHelmBinaries();
    const { stdout } = await execa(bin, ['template', 'x', join(corpus, chart)]);
    const expected = imageLines(stdout);
    expect(expected.length).toBeGreaterThan(0);
    const docs = parseManifestStream(stdout);
    // parseManifestStream drops a leading empty chunk; map documents by their start line instead of index.
    const lineCounter = new LineCounter();
    const starts = parseAllDocuments(stdout, { lineCounter }).map((doc) => lineCounter.linePos(doc.range[0]).line);
    for (const { doc, path, line } of expected) {
      const start = starts[doc]!;
      const parsed = [...docs].reverse().find((candidate) => candidate.startLine <= start);
      expect(parsed?.lineOf(path), `${chart} ${path.join('.')}`).toBe(line);
    }
  });
});
