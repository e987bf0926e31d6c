/** `--library` edits Chart.yaml by lines: the dependency appears, every other byte stays as the author wrote it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UsageError } from '../../src/errors.js';
import { applyDependencyEdits, libraryDependencyEdits } from '../../src/inject/chart-yaml.js';
import { fromLines, toLines } from '../../src/inject/lines.js';
import { corpusDir } from '../helpers/corpus.js';

const NAME = 'imageguard-lib';

function edit(text: string, version = '1.0.0') {
  const result = libraryDependencyEdits('Chart.yaml', text, NAME, version);
  const after = fromLines(applyDependencyEdits('Chart.yaml', toLines(text), result, NAME, version));
  return { action: result.action, after };
}

/** The new text minus the given added lines is the old text, byte for byte. */
function withoutAdded(after: string, added: string[]): string {
  const lines = after.split('\n');
  const at = lines.findIndex((_, i) => added.every((line, j) => lines[i + j] === line));
  expect(at, `added lines ${JSON.stringify(added)} in\n${after}`).toBeGreaterThanOrEqual(0);
  lines.splice(at, added.length);
  return lines.join('\n');
}

describe('libraryDependencyEdits', () => {
  it.each(['helm-create', 'nginx', 'cert-manager', 'grafana'])('corpus %s/Chart.yaml: only the two dependency lines are new', (chart) => {
    const before = readFileSync(join(corpusDir, chart, 'Chart.yaml'), 'utf8');
    const { action, after } = edit(before);
    expect(action).toBe('added');
    const item = /\n( *)- name: imageguard-lib\n/.exec(after);
    const pad = item?.[1] ?? '';
    const added = [`${pad}- name: ${NAME}`, `${pad}  version: 1.0.0`];
    const hadDependencies = /^dependencies:/m.test(before);
    expect(withoutAdded(after, hadDependencies ? added : ['dependencies:', ...added])).toBe(before);
    const deps = (parse(after) as { dependencies: { name: string; version: string }[] }).dependencies;
    expect(deps[deps.length - 1]).toEqual({ name: NAME, version: '1.0.0' });
  });

  it('follows the indentation of the existing list and inserts after its last item, before later comments', () => {
    const before = 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 1.x  # pinned\n    condition: redis.enabled\n# end of dependencies\nkeywords: [a]\n';
    const { after } = edit(before);
    expect(after).toBe(
      'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 1.x  # pinned\n    condition: redis.enabled\n' +
        `  - name: ${NAME}\n    version: 1.0.0\n# end of dependencies\nkeywords: [a]\n`,
    );
  });

  it('uses the indentation of other lists when there are no dependencies yet, and adds a missing final newline', () => {
    const before = 'apiVersion: v2\nname: app\nversion: 1.0.0\nkeywords:\n  - web\n# trailing comment';
    expect(edit(before).after).toBe(`${before}\ndependencies:\n  - name: ${NAME}\n    version: 1.0.0\n`);
  });

  it.each([
    ['an empty flow list', 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies: []  # none yet\n', 'dependencies:   # none yet\n'],
    ['a key without value', 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n', 'dependencies:\n'],
  ])('fills %s', (_name, before, keyLine) => {
    const { after } = edit(before);
    expect(after).toBe(`apiVersion: v2\nname: app\nversion: 1.0.0\n${keyLine}- name: ${NAME}\n  version: 1.0.0\n`);
  });

  it('updates an older version in place, keeping its comment, and leaves the current one alone', () => {
    const before = `apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n- name: ${NAME}\n  version: "0.9.0" # vendored\n`;
    const updated = edit(before, '2.0.0');
    expect(updated.action).toBe('updated');
    expect(updated.after).toBe(before.replace('"0.9.0"', '2.0.0'));
    expect(libraryDependencyEdits('Chart.yaml', updated.after, NAME, '2.0.0')).toEqual({ action: 'unchanged', edits: [] });
  });

  it.each([
    ['a non-empty flow list', 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies: [{name: a, version: 1.0.0}]\n', /flow list/],
    ['apiVersion v1 (podinfo)', readFileSync(join(corpusDir, 'podinfo', 'Chart.yaml'), 'utf8'), /requirements\.yaml/],
    ['invalid YAML', 'apiVersion: v2\nname: [app\n', /cannot parse/],
    ['dependencies that are a map', 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  a: b\n', /not a list/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => libraryDependencyEdits('Chart.yaml', text, NAME, '1.0.0')).toThrow(UsageError);
    expect(() => libraryDependencyEdits('Chart.yaml', text, NAME, '1.0.0')).toThrow(message);
  });
});
