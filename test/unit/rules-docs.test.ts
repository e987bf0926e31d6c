import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/index.js';
import { repoRoot } from '../helpers/helm.js';

// kube-linter's meta-test: a rule without docs fails the build (SARIF helpUri links to these anchors).
describe('docs/rules.md', () => {
  const docs = readFileSync(join(repoRoot, 'docs', 'rules.md'), 'utf8');
  it.each(RULES.map((rule) => [rule.id, rule] as const))('documents %s with its default severity', (id, rule) => {
    const section = docs.split(/^## /m).find((part) => part.startsWith(`${id}\n`));
    expect(section, `docs/rules.md needs a "## ${id}" section`).toBeDefined();
    expect(section).toContain(`Default severity: ${rule.defaultSeverity}`);
  });
});
