import { describe, expect, it } from 'vitest';
import type { ImageUse } from '../../src/manifest/types.js';
import type { RevisionImages } from '../../src/release/types.js';
import { checkRollback, failsCheck, outcomeOf, runsOnRollback, summarizeVerdicts, verdictOf } from '../../src/release/verdict.js';
import { classified } from '../helpers/rule-tester.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

function revision(revision: number, images: (string | [string, Partial<ImageUse>])[]): RevisionImages {
  return {
    info: { revision, status: 'superseded', chart: 'demo-1.0.0', appVersion: '1.0', updated: '', description: '' },
    uses: images.map((entry) => (typeof entry === 'string' ? classified(entry) : classified(entry[0], entry[1]))),
  };
}

describe('verdictOf (current -> target)', () => {
  it.each([
    ['nginx:latest', `nginx@${DIGEST}`, 'restored'],
    ['nginx:latest', `nginx:1.25.3@${DIGEST}`, 'restored'],
    [`nginx@${DIGEST}`, `nginx@${DIGEST}`, 'restored'],
    ['nginx:latest', 'nginx:1.25.3', 'tag-only'],
    ['nginx:1.25.3', 'nginx:1.25.3', 'tag-only'],
    ['nginx:latest', 'nginx:latest', 'no-op'],
    ['nginx', 'nginx:latest', 'no-op'], // no tag is latest at runtime
    ['docker.io/library/nginx:stable', 'nginx:stable', 'no-op'],
    ['nginx:1.27', 'nginx:1.27', 'no-op'],
    ['nginx:1.25.3', 'nginx:latest', 'mutable-target'],
    ['nginx:latest', 'nginx:stable', 'mutable-target'],
    ['nginx:1.28', 'nginx:1.27', 'mutable-target'],
    ['nginx:latest', 'nginx', 'no-op'],
    ['nginx:1.25.3', 'nginx:', 'invalid-target'],
  ])('%s -> %s is %s', (current, target, verdict) => {
    expect(verdictOf(classified(current), classified(target))).toBe(verdict);
  });

  it('a container only the current revision has is removed; one only the target has is judged by its image', () => {
    expect(verdictOf(classified('nginx:latest'), null)).toBe('removed');
    expect(verdictOf(null, classified('nginx:latest'))).toBe('mutable-target');
    expect(verdictOf(null, classified(`nginx@${DIGEST}`))).toBe('restored');
  });
});

describe('runsOnRollback', () => {
  it.each([
    [null, true, true],
    ['pre-rollback', true, true],
    ['post-install,post-rollback', true, true],
    ['test', true, false],
    ['pre-install,pre-upgrade', true, false],
    ['pre-rollback', false, false],
  ])('hook %j with hooks %s: %s', (hook, hooksRun, runs) => {
    expect(runsOnRollback(classified('x:latest', { hook }), { hooksRun })).toBe(runs);
  });
});

describe('checkRollback', () => {
  it('gives one verdict per container with severity, change and a message that says what will happen', () => {
    const current = revision(3, ['nginx:latest', ['redis:7.2.4', { container: { name: 'cache', type: 'container' } }]]);
    const target = revision(2, ['nginx:latest', ['busybox:stable', { container: { name: 'init', type: 'initContainer' } }]]);
    const verdicts = checkRollback(current, target, { hooksRun: true });
    expect(verdicts.map((v) => [v.container.name, v.verdict, v.severity, v.change])).toEqual([
      ['app', 'no-op', 'error', 'unchanged'],
      ['cache', 'removed', 'info', 'removed'],
      ['init', 'mutable-target', 'error', 'added'],
    ]);
    expect(verdicts[0]!.message).toBe(
      'rolling back to 2 changes nothing for container app (Deployment/web): both revisions say nginx:latest. ' +
        'Its pods keep running whatever that tag pulled last; deploy a version tag or a digest to get a known image.',
    );
    expect(verdicts[1]!.message).toBe('rolling back to 2 removes container cache (Deployment/web): revision 2 does not have it.');
    expect(verdicts[2]!.message).toContain('rolling back to 2 re-creates init container init (Deployment/web) with busybox:stable, the channel tag "stable"');
    expect(verdicts[2]!.message).toContain('whatever that points to now');
  });

  it.each([
    [`nginx@${DIGEST}`, 'pinned by digest, so it runs exactly revision 1\'s image'],
    ['nginx:1.25.3', 'only if nobody re-pushed "1.25.3" since'],
    ['nginx', 'no tag, so the runtime pulls "latest"'],
    ['nginx:1.27', 'the partial version "1.27"'],
    ['nginx:', 'not a valid image reference'],
  ])('the message for target %s says why', (target, fragment) => {
    const [verdict] = checkRollback(revision(2, ['nginx:latest-dev']), revision(1, [target]), { hooksRun: true });
    expect(verdict!.message).toContain(fragment);
  });

  it('counts hooks only when helm rollback runs them: pre-/post-rollback, and none with --no-hooks', () => {
    const hook = (name: string, value: string): [string, Partial<ImageUse>] => ['migrate:latest', { hook: value, resource: { apiVersion: 'batch/v1', kind: 'Job', namespace: 'default', name } }];
    const current = revision(2, [hook('db', 'pre-rollback'), hook('smoke', 'test')]);
    const target = revision(1, [hook('db', 'pre-rollback'), hook('smoke', 'test')]);
    const withHooks = checkRollback(current, target, { hooksRun: true });
    expect(withHooks.map((v) => [v.resource.name, v.verdict, v.severity, v.runsOnRollback])).toEqual([
      ['db', 'no-op', 'error', true],
      ['smoke', 'no-op', 'info', false],
    ]);
    expect(withHooks[1]!.message).toContain('Not run by helm rollback (a "test" hook), so it does not count.');
    const noHooks = checkRollback(current, target, { hooksRun: false });
    expect(noHooks.map((v) => v.severity)).toEqual(['info', 'info']);
    expect(noHooks[0]!.message).toContain('hooks are off (--no-hooks)');
  });

  it('summarizes, decides the outcome and whether the check fails for --fail-on', () => {
    const verdicts = checkRollback(revision(2, ['a:latest', 'nginx:latest']), revision(1, ['a:1.0.0', `nginx@${DIGEST}`]), { hooksRun: true });
    // Both containers are named `app` in one Deployment: paired by occurrence.
    const summary = summarizeVerdicts(verdicts);
    expect(summary).toEqual({
      verdicts: { restored: 1, 'tag-only': 1, 'no-op': 0, 'mutable-target': 0, 'invalid-target': 0, removed: 0 },
      error: 0,
      warning: 1,
      info: 1,
    });
    expect(outcomeOf(summary)).toBe('warning');
    expect([failsCheck(summary, 'error'), failsCheck(summary, 'warning'), failsCheck(summary, 'never')]).toEqual([false, true, false]);
    const unsafe = summarizeVerdicts(checkRollback(revision(2, ['a:latest']), revision(1, ['a:latest']), { hooksRun: true }));
    expect([outcomeOf(unsafe), failsCheck(unsafe, 'error'), failsCheck(unsafe, 'never')]).toEqual(['unsafe', true, false]);
    expect(outcomeOf(summarizeVerdicts([]))).toBe('safe');
  });
});
