import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfigFile, loadConfigFile, settingsFromConfig } from '../../src/config/load.js';
import { defaultConfig } from '../../src/config/types.js';
import { ExitCode, UsageError } from '../../src/errors.js';
import { DEFAULT_MUTABLE_TAGS } from '../../src/image/classify.js';
import { RULES } from '../../src/rules/index.js';
import { repoRoot } from '../helpers/helm.js';

const root = mkdtempSync(join(tmpdir(), 'imageguard-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** Writes `text` as a config file in a fresh directory and returns its path. */
function configFile(text: string, name = '.imageguard.yaml'): string {
  counter += 1;
  const dir = join(root, `case-${counter}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Every config problem must be a UsageError (exit 2); returns its message. */
function usageMessage(text: string): string {
  const file = configFile(text);
  try {
    loadConfigFile(file);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(ExitCode.usage);
    return (e as UsageError).message.replaceAll(file, 'CFG');
  }
  throw new Error('expected a UsageError');
}

describe('loadConfigFile: valid files', () => {
  it('reads a full config', () => {
    const file = configFile(`# project settings
rules:
  no-mutable-tag: warning
  no-latest-appversion: off
mutableTags:
  add: [candidate, "*-wip"]
  replace: [latest, stable]
floating: info
requireDigest: true
ignore:
  - image: "ghcr.io/acme/*"
    rule: no-floating-tag
    reason: acme images are rebuilt nightly on purpose
    expires: 2030-01-31
  - resource: Job/migrate-*
    reason: one-shot job
`);
    expect(loadConfigFile(file)).toEqual({
      file,
      severities: {
        'no-mutable-tag': 'warning',
        'no-latest-appversion': 'off',
        'no-floating-tag': 'info',
        'require-digest': 'error',
      },
      mutableTags: { add: ['candidate', '*-wip'], replace: ['latest', 'stable'] },
      ignore: [
        { image: 'ghcr.io/acme/*', rule: 'no-floating-tag', resource: null, reason: 'acme images are rebuilt nightly on purpose', expires: '2030-01-31', line: 11 },
        { image: null, rule: 'all', resource: 'Job/migrate-*', reason: 'one-shot job', expires: null, line: 15 },
      ],
    });
  });

  it('takes a plain mutableTags list as additions, and requireDigest false as off', () => {
    const config = loadConfigFile(configFile('mutableTags: [candidate]\nrequireDigest: false\n'));
    expect(config.mutableTags).toEqual({ add: ['candidate'], replace: null });
    expect(config.severities).toEqual({ 'require-digest': 'off' });
  });

  it.each([
    ['an empty file', ''],
    ['a comment-only file', '# nothing yet\n'],
    ['known keys left empty', 'ignore:\n#  - image: nginx\nrules:\n'],
  ])('treats %s as the default config', (_name, text) => {
    const file = configFile(text);
    expect(loadConfigFile(file)).toEqual(defaultConfig(file));
  });

  it('accepts a shorthand that agrees with rules', () => {
    const config = loadConfigFile(configFile('rules:\n  no-floating-tag: error\nfloating: error\n'));
    expect(config.severities).toEqual({ 'no-floating-tag': 'error' });
  });
});

describe('loadConfigFile: problems are UsageErrors naming file:line and path', () => {
  it.each([
    ['invalid YAML', 'rules:\n  no-latest-tag: b: c\nfloating: info\n', /^CFG:2: invalid YAML: Nested mappings are not allowed/],
    ['mis-indented YAML', 'rules:\n  no-latest-tag: error\n bad: x\nfloating: info\n', /^CFG:3: invalid YAML: /],
    ['a duplicate key', 'floating: info\nfloating: error\n', /^CFG:2: invalid YAML: Map keys must be unique/],
    ['an unknown rule id', 'floating: info\nrules:\n  no-latest-tags: error\n',
      /^CFG:3: rules\.no-latest-tags: unknown rule id \(known: no-latest-tag, no-untagged-image, .*no-latest-appversion\)$/],
    ['a bad severity', 'rules:\n  no-latest-tag: fatal\n', /^CFG:2: rules\.no-latest-tag: must be one of error, warning, info, off \(got "fatal"\)$/],
    ['a wrong type', 'requireDigest: "yes"\n', /^CFG:1: requireDigest: must be true or false \(got "yes"\)$/],
    ['an unknown top-level key', 'rules: {}\nmutabletags: [x]\n', /^CFG:2: mutabletags: unknown key \(known: rules, mutableTags, floating, requireDigest, ignore\)$/],
    ['an unknown key in an entry', 'ignore:\n  - image: x\n    reason: r\n    expire: 2030-01-01\n', /^CFG:4: ignore\[0\]\.expire: unknown key \(known: image, rule, resource, reason, expires\)$/],
    ['an ignore entry without reason', 'ignore:\n  - image: a\n    reason: ok\n  - image: nginx:*\n    rule: no-latest-tag\n',
      /^CFG:4: ignore\[1\]: must have required property 'reason' \(every ignore entry needs a reason\)$/],
    ['a blank reason', 'ignore:\n  - image: a\n    reason: "  "\n', /^CFG:3: ignore\[0\]\.reason: must not be blank/],
    ['an entry with only a reason', 'ignore:\n  - reason: everything\n', /^CFG:2: ignore\[0\]: needs at least one of image, rule or resource/],
    ['an unknown rule in an entry', 'ignore:\n  - rule: no-latest\n    reason: r\n', /^CFG:2: ignore\[0\]\.rule: unknown rule id "no-latest" \(known: all, no-latest-tag,/],
    ['a date that does not exist', 'ignore:\n  - image: a\n    reason: r\n    expires: 2026-02-30\n', /^CFG:4: ignore\[0\]: expires "2026-02-30" is not a real date$/],
    ['a date in the wrong format', 'ignore:\n  - image: a\n    reason: r\n    expires: 1/2/2026\n', /^CFG:4: ignore\[0\]\.expires: must be a date YYYY-MM-DD \(got "1\/2\/2026"\)$/],
    ['floating conflicting with rules', 'rules:\n  no-floating-tag: error\nfloating: warning\n',
      /^CFG:3: floating: "warning" conflicts with rules\.no-floating-tag: "error" \(floating is shorthand for that rule; keep one\)$/],
    ['requireDigest conflicting with rules', 'requireDigest: true\nrules:\n  require-digest: warning\n', /^CFG:1: requireDigest: true conflicts with rules\.require-digest: "warning"/],
    ['a bad floating value next to rules', 'rules:\n  no-floating-tag: error\nfloating: loud\n', /^CFG:3: floating: must be one of error, warning, info, off \(got "loud"\)$/],
    ['a mutableTags string', 'mutableTags: candidate\n', /^CFG:1: mutableTags: must be a list of tags or a mapping with add and\/or replace \(got "candidate"\)$/],
    ['an empty mutable tag', 'mutableTags: [ok, ""]\n', /^CFG:1: mutableTags\[1\]: must not be empty$/],
    ['an unknown mutableTags key', 'mutableTags:\n  add: [x]\n  remove: [y]\n', /^CFG:3: mutableTags\.remove: unknown key \(known: add, replace\)$/],
    ['a list at the top level', '- rules: {}\n', /^CFG:1: the top level must be a mapping of settings \(got a list\)$/],
    ['a scalar at the top level', 'just text\n', /^CFG:1: the top level must be a mapping of settings \(got "just text"\)$/],
  ])('rejects %s', (_name, text, expected) => {
    expect(usageMessage(text)).toMatch(expected);
  });

  it('reports at most three problems, in file order, one per line', () => {
    const message = usageMessage('foo: 1\nfloating: loud\nrequireDigest: 3\nignore: nope\nbar: 2\n');
    expect(message.split('\n')).toEqual([
      'CFG:1: foo: unknown key (known: rules, mutableTags, floating, requireDigest, ignore)',
      'CFG:2: floating: must be one of error, warning, info, off (got "loud")',
      'CFG:3: requireDigest: must be true or false (got 3)',
      '(2 more problems not shown)',
    ]);
  });

  it('reports an unreadable file as a UsageError', () => {
    const missing = join(root, 'does-not-exist.yaml');
    expect(() => loadConfigFile(missing)).toThrow(UsageError);
    expect(() => loadConfigFile(missing)).toThrow(/cannot read config file .*does-not-exist\.yaml \(ENOENT\)/);
  });
});

describe('findConfigFile', () => {
  const project = join(root, 'project');
  const nested = join(project, 'charts', 'web', 'templates');
  mkdirSync(nested, { recursive: true });
  writeFileSync(join(project, '.imageguard.yaml'), 'floating: info\n');

  it('finds the file in the start directory', () => {
    expect(findConfigFile(project)).toBe(join(project, '.imageguard.yaml'));
  });

  it('walks up from a nested directory', () => {
    expect(findConfigFile(nested, root)).toBe(join(project, '.imageguard.yaml'));
  });

  it('stops at stopAt', () => {
    expect(findConfigFile(nested, join(project, 'charts'))).toBeNull();
  });

  it('accepts .imageguard.yml', () => {
    const file = configFile('floating: off\n', '.imageguard.yml');
    const dir = join(file, '..');
    mkdirSync(join(dir, 'sub'));
    expect(findConfigFile(join(dir, 'sub'), root)).toBe(file);
    expect(loadConfigFile(file).severities).toEqual({ 'no-floating-tag': 'off' });
  });

  it('refuses both spellings in one directory', () => {
    const file = configFile('floating: off\n');
    writeFileSync(join(file, '..', '.imageguard.yml'), 'floating: info\n');
    expect(() => findConfigFile(join(file, '..'))).toThrow(UsageError);
    expect(() => findConfigFile(join(file, '..'))).toThrow(/both .*\.imageguard\.yaml and .*\.imageguard\.yml exist/);
  });
});

describe('settingsFromConfig', () => {
  it('uses the built-in list and no overrides for the default config', () => {
    expect(settingsFromConfig(defaultConfig())).toEqual({ mutableTags: [...DEFAULT_MUTABLE_TAGS], severities: {} });
  });

  it('replaces, then adds config tags and flag tags, without duplicates', () => {
    const config = { ...defaultConfig(), mutableTags: { add: ['wip', 'stable'], replace: ['stable'] } };
    expect(settingsFromConfig(config, { mutableTags: ['tmp-*', 'wip'] }).mutableTags).toEqual(['stable', 'wip', 'tmp-*']);
  });

  it('lets --require-digest win over the config', () => {
    const config = { ...defaultConfig(), severities: { 'require-digest': 'off' as const, 'no-latest-tag': 'warning' as const } };
    expect(settingsFromConfig(config, { requireDigest: true }).severities).toEqual({ 'require-digest': 'error', 'no-latest-tag': 'warning' });
    expect(settingsFromConfig(config, { requireDigest: false }).severities['require-digest']).toBe('off');
  });
});

describe('schemas/config.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'config.schema.json'), 'utf8')) as {
    properties: { rules: { propertyNames: { enum: string[] } } };
    definitions: { ignoreEntry: { properties: { rule: { enum: string[] } } } };
  };

  it('lists exactly the registered rule ids', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(schema.properties.rules.propertyNames.enum).toEqual(ids);
    expect(schema.definitions.ignoreEntry.properties.rule.enum).toEqual(['all', ...ids]);
  });
});
