/**
 * Issue 10, property test of values provenance (fast-check), through the real pipeline pieces and no helm:
 * random values files (image objects and image strings at random paths, in random YAML styles, a chart values.yaml
 * and an -f override) go through parseValues + mergeSources + ValuesProvenance, each image is rendered from the
 * effective values as a template would, and every file:line:column provenance claims must hold, in that file's
 * text, the scalar the effective values have at the claimed path. Provenance may say nothing; it must never point
 * at a line whose scalar differs from the value it claims.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseNormalizedNamed } from '../../src/image/reference.js';
import { parseValues } from '../../src/values/load.js';
import { mergeSources } from '../../src/values/merge.js';
import { ValuesProvenance } from '../../src/values/provenance.js';
import { isTree } from '../../src/values/tree.js';
import { formatValuesPath, type ValuesPath } from '../../src/values/types.js';
import { classified } from '../helpers/rule-tester.js';

const isReference = (value: string): boolean => {
  try {
    parseNormalizedNamed(value);
    return true;
  } catch {
    return false;
  }
};

/** The scalar that starts at (line, column) of `text` (quotes stripped): read without the code under test. */
function scalarAt(text: string, line: number, column: number): string {
  const rest = (text.split('\n')[line - 1] ?? '').slice(column - 1);
  const quoted = /^(["'])(.*?)\1/.exec(rest);
  if (quoted) return quoted[1] === "'" ? quoted[2]!.replace(/''/g, "'") : (JSON.parse(`"${quoted[2]}"`) as string);
  return rest.replace(/\s+#.*$/, '').replace(/[,}\]]+\s*$/, '').split(/,\s|\s*[}\]]/)[0]!.trim();
}

const repository = fc.constantFrom('nginx', 'bitnami/redis', 'registry.example.com/team/app', 'ghcr.io/org/tool', 'busybox');
const tag = fc.oneof(fc.constantFrom('1.25.3', 'latest', 'v1.2.3', 'stable', '16-alpine', '1.10', '2024.01.02'), fc.integer({ min: 1, max: 30 }));
const name = fc.constantFrom('web', 'worker', 'api', 'cache', 'sidecar', 'init', 'metrics', 'proxy');
const image = fc.oneof(
  fc.record({ repository, tag }).map((value) => ({ image: value })),
  fc.record({ repository, tag, pullPolicy: fc.constantFrom('IfNotPresent', 'Always') }).map((value) => ({ image: value })),
  fc.tuple(repository, tag).map(([repo, t]) => ({ image: `${repo}:${t}` })),
);
/** A values tree: each component name holds an image (object or string) and maybe other keys. */
const values = fc.dictionary(name, fc.tuple(image, fc.dictionary(fc.constantFrom('replicas', 'enabled', 'port'), fc.oneof(fc.integer(), fc.boolean()), { maxKeys: 2 })).map(([img, extra]) => ({ ...extra, ...img })), {
  minKeys: 1,
  maxKeys: 5,
});
/** An -f file: new tags (or whole images) for some of the components. */
const override = fc.dictionary(name, fc.oneof(tag.map((t) => ({ image: { tag: t } })), image), { maxKeys: 3 });
interface Style {
  indent: number;
  flow: boolean;
  quote: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';
  comment: boolean;
}
const style: fc.Arbitrary<Style> = fc.record({
  indent: fc.integer({ min: 2, max: 4 }),
  flow: fc.boolean(),
  quote: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE') as fc.Arbitrary<'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'>,
  comment: fc.boolean(),
});

function write(tree: object, options: Style): string {
  const body = stringify(tree, { indent: options.indent, collectionStyle: options.flow ? 'flow' : 'block', defaultStringType: options.quote, defaultKeyType: 'PLAIN', lineWidth: 0 });
  return options.comment ? `# values\n\n${body.replace(/\n/g, '\n# note\n').replace(/# note\n$/, '')}` : body;
}

/** path (as provenance prints it) -> effective scalar. */
function leaves(tree: unknown, path: ValuesPath = [], out = new Map<string, unknown>()): Map<string, unknown> {
  if (isTree(tree)) for (const [key, child] of Object.entries(tree)) leaves(child, [...path, key], out);
  else if (Array.isArray(tree)) tree.forEach((child, i) => leaves(child, [...path, i], out));
  else out.set(formatValuesPath(path), tree);
  return out;
}

describe('values provenance (property)', () => {
  it('never points at a line whose scalar differs from the value it claims', () => {
    let total = 0;
    fc.assert(
      fc.property(values, override, style, style, (base, extra, baseStyle, extraStyle) => {
        const texts: Record<string, string> = { 'demo/values.yaml': write(base, baseStyle), 'prod.yaml': write(extra, extraStyle) };
        const sources = Object.entries(texts).map(([file, text]) => ({ source: parseValues(text, file), prefix: [] }));
        const effective = mergeSources(sources);
        const provenance = new ValuesProvenance(effective, [{ templatePrefix: 'demo/', valuesPrefix: [], appVersion: null }], isReference);
        const scalars = leaves(effective.tree);
        let claims = 0;
        for (const [component, settings] of Object.entries(effective.tree)) {
          const img = (settings as { image?: unknown }).image;
          const rendered = typeof img === 'string' ? img : isTree(img) ? `${String(img.repository)}:${String(img.tag)}` : null;
          if (rendered === null) continue;
          const use = classified(rendered, {
            template: 'demo/templates/deployment.yaml',
            container: { name: component, type: 'container' },
            resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: `x-${component}` },
          });
          for (const origin of provenance.locate(use)) {
            if (origin.line === undefined || origin.column === undefined) continue;
            claims++;
            const text = texts[origin.file];
            expect(text, `a file provenance invented: ${origin.file}`).toBeDefined();
            expect(scalars.has(origin.path), `${origin.path} is an effective scalar`).toBe(true);
            const where = `${origin.file}:${origin.line}:${origin.column} (${origin.path})\n${text}`;
            expect(scalarAt(text!, origin.line, origin.column), where).toBe(String(scalars.get(origin.path)));
          }
        }
        total += claims;
      }),
      { numRuns: 1500 },
    );
    // The property is only worth something if provenance does make claims.
    expect(total).toBeGreaterThan(1500);
  });
});
