/**
 * helm's --set parser (src/values/strvals.ts), case by case. The expected values were read from helm 3.17.3 and
 * 4.1.4 rendering `{{ toJson .Values }}` (test/e2e/validate-set-differential.test.ts checks the same against the
 * real binaries).
 */
import { describe, expect, it } from 'vitest';
import { parseSetArgument } from '../../src/values/set-args.js';
import { parseStrvalsInto, StrvalsError, typedValue, type HelmDialect, type StrvalsMode } from '../../src/values/strvals.js';

function parse(mode: StrvalsMode, argument: string, dialect: HelmDialect = 4, into: Record<string, unknown> = {}): Record<string, unknown> {
  parseStrvalsInto(mode, argument, into, { dialect, readFile: (path) => `content of ${path}` });
  return into;
}

describe('typedValue (strvals typedVal)', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['False', false],
    ['Null', null],
    ['null', null],
    ['0', 0],
    ['-0', 0],
    ['+5', 5],
    ['42', 42],
    ['-17', -17],
    ['9223372036854775807', Number(2n ** 63n - 1n)],
    ['9223372036854775808', '9223372036854775808'],
    ['010', '010'],
    ['00', '00'],
    ['1.5', '1.5'],
    ['1e3', '1e3'],
    ['', ''],
    ['fal\u017fe', false],
    ['yes', 'yes'],
  ])('--set %j -> %j', (text, expected) => {
    expect(typedValue(text, false)).toEqual(expected);
  });

  it('--set-string keeps every value a string', () => {
    expect(typedValue('true', true)).toBe('true');
    expect(typedValue('10', true)).toBe('10');
  });
});

describe('--set', () => {
  it.each([
    ['a=b,c=1', { a: 'b', c: 1 }],
    ['a.b.c=d', { a: { b: { c: 'd' } } }],
    ['a\\.b=c', { 'a.b': 'c' }],
    ['x=b\\,c', { x: 'b,c' }],
    ['y\\=z=1', { 'y=z': 1 }],
    ['w=x\\\\y', { w: 'x\\y' }],
    ['v=x\\', { v: 'x' }],
    ['a=b=c', { a: 'b=c' }],
    ['a={x,y},b={1,true,null}', { a: ['x', 'y'], b: [1, true, null] }],
    ['c={}', { c: [''] }],
    ['e={x},f=1', { e: ['x'], f: 1 }],
    ['a[0]=x', { a: ['x'] }],
    ['a[2]=x', { a: [null, null, 'x'] }],
    ['a[0].b=c', { a: [{ b: 'c' }] }],
    ['a[0][1]=x', { a: [[null, 'x']] }],
    ['a[0]=x,a[1]=y', { a: ['x', 'y'] }],
    ['a[0].b=', { a: [] }],
    ['a=', { a: '' }],
    ['a=,b=1', { a: '', b: 1 }],
    ['.a=1', {}],
    ['a.', {}],
    ['=x', {}],
  ])('%s', (argument, expected) => {
    expect(parse('set', argument)).toEqual(expected);
  });

  it.each([
    ['a', /key "a" has no value/],
    ['a,b=1', /cannot end with ,/],
    ['a={x}y', /key "y" has no value/],
    ['a={x,y', /list must terminate with '}'/],
    ['a[-1]=x', /negative -1 index/],
    ['a[x]=1', /error parsing index/],
    ['a[0]x=1', /unexpected data at end of array index/],
    ['a[65537]=1', /greater than maximum supported index/],
    ['a=1,a.b=2', /unable to parse key: interface conversion/],
    ['a.=1', /key map "a" has no value/],
    ['a..b=1', /key map "a" has no value/],
  ])('%s fails as in helm', (argument, message) => {
    expect(() => parse('set', argument)).toThrow(message);
  });

  it('a cut-short index fails in helm 3 and ends the flag in helm 4', () => {
    expect(() => parse('set', 'b=1,a[0', 3)).toThrow(StrvalsError);
    expect(parse('set', 'b=1,a[0', 4)).toEqual({ b: 1 });
  });

  it('edits a list a values file set, in place (helm parses --set into the -f map)', () => {
    expect(parse('set', 'fl[1]=x,m.z=3', 4, { fl: [1, 2, 3], m: { x: 1 } })).toEqual({ fl: [1, 'x', 3], m: { x: 1, z: 3 } });
  });

  it('reports each value it sets, with its path and the key=value piece', () => {
    const events: unknown[] = [];
    parseStrvalsInto('set', 'a.b=1,c[1]=x,d={p,q}', {}, { dialect: 4, onSet: (path, value, piece) => events.push([path, value, piece]) });
    expect(events).toEqual([
      [['a', 'b'], 1, 'a.b=1'],
      [['c', 1], 'x', 'c[1]=x'],
      [['d'], ['p', 'q'], 'd={p,q}'],
    ]);
  });
});

describe('--set-string, --set-json, --set-literal, --set-file', () => {
  it('--set-string', () => {
    expect(parse('set-string', 'a=1,b=true,c={1,2},d=null')).toEqual({ a: '1', b: 'true', c: ['1', '2'], d: 'null' });
  });

  it.each([
    ['a=1', { a: 1 }],
    ['a={"b":[1,2]}', { a: { b: [1, 2] } }],
    ['a=[1,{"x":null}]', { a: [1, { x: null }] }],
    ['a="s",b=2', { a: 's', b: 2 }],
    ['a=', { a: null }],
    ['a= ,b=1', { a: null, b: 1 }],
    ['a[0]={"x":1}', { a: [{ x: 1 }] }],
  ])('--set-json %s', (argument, expected) => {
    expect(parse('set-json', argument)).toEqual(expected);
  });

  it.each([['a=tru'], ['a=1x']])('--set-json %s fails', (argument) => {
    expect(() => parse('set-json', argument)).toThrow(StrvalsError);
  });

  it('--set-literal takes the rest of the argument as one string, without escapes', () => {
    expect(parse('set-literal', 'a=b,c=d')).toEqual({ a: 'b,c=d' });
    expect(parse('set-literal', 'a.b=x\\y')).toEqual({ a: { b: 'x\\y' } });
    expect(parse('set-literal', 'a[0]=v,w')).toEqual({ a: ['v,w'] });
    expect(parse('set-literal', 'a\\.b=1')).toEqual({ 'a\\': { b: '1' } });
  });

  it('--set-file reads the file (here: a stub reader)', () => {
    expect(parse('set-file', 'a=x.txt,b={y.txt}')).toEqual({ a: 'content of x.txt', b: ['content of y.txt'] });
  });
});

describe('parseSetArgument (lint provenance)', () => {
  it('keeps its shape: one assignment per value set, never throwing', () => {
    expect(parseSetArgument('--set', 'image.tag=latest,replicas=2')).toEqual([
      { flag: '--set', path: ['image', 'tag'], value: 'latest' },
      { flag: '--set', path: ['replicas'], value: 2 },
    ]);
    expect(parseSetArgument('--set', 'sidecars[0].image=busybox')).toEqual([{ flag: '--set', path: ['sidecars', 0, 'image'], value: 'busybox' }]);
    expect(parseSetArgument('--set', 'ok=1,broken')).toEqual([{ flag: '--set', path: ['ok'], value: 1 }]);
    expect(parseSetArgument('--set-file', 'a=path.txt')).toEqual([{ flag: '--set-file', path: ['a'], value: 'path.txt' }]);
    expect(parseSetArgument('--set-json', '{"image":{"tag":"x"}}')).toEqual([{ flag: '--set-json', path: ['image'], value: { tag: 'x' } }]);
  });
});
