/**
 * The image expressions `inject --rewrite` knows, as of 2026-11, and the guard call that replaces each.
 * Recognised (R is `.`, `$`, `$name` or `.field`, P a dotted values path, the same in every part):
 *   {{ R.Values.P.repository }}:{{ R.Values.P.tag }}                      podinfo, many charts
 *   ... {{ R.Values.P.tag | default R.Chart.AppVersion }}                   helm create (also `default X tag`)
 *   {{ R.Values.P.registry }}/ ... and
 *   {{ R.Values.global.imageRegistry | default R.Values.P.registry }}/ ...  grafana's test pod
 *   {{ R.Values.P }}                                                       when values.yaml holds a string there
 *   {{ include "common.images.image" (dict "imageRoot" R.Values.P "global" R.Values.global ["chart" R.Chart]) }}
 * Anything else on an `image:` line is reported, never guessed.
 */
import type { Action } from './template-scan.js';

export interface GuardCall {
  /** Values path without `.Values.` (for messages): `image`, `controller.image`. */
  path: string;
  /** The receiver of `.Values` in the original (`.`, `$`, `.context`). */
  context: string;
  /** Use .Chart.AppVersion when the tag is empty (as the original did). */
  appVersion: boolean;
}

const RECEIVER = String.raw`(\$\w*|(?:\.[A-Za-z_]\w*)*)`;
const PATH = String.raw`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)`;
const APP_VERSION = String.raw`(?:\$\w*|(?:\.[A-Za-z_]\w*)*)\.Chart\.AppVersion`;

const REPOSITORY = new RegExp(String.raw`^${RECEIVER}\.Values\.${PATH}\.repository$`);
const TAG = new RegExp(String.raw`^${RECEIVER}\.Values\.${PATH}\.tag$`);
const TAG_DEFAULT_PIPE = new RegExp(String.raw`^${RECEIVER}\.Values\.${PATH}\.tag \| default ${APP_VERSION}$`);
const TAG_DEFAULT_CALL = new RegExp(String.raw`^default ${APP_VERSION} ${RECEIVER}\.Values\.${PATH}\.tag$`);
const REGISTRY = new RegExp(String.raw`^${RECEIVER}\.Values\.${PATH}\.registry$`);
const REGISTRY_GLOBAL_PIPE = new RegExp(String.raw`^${RECEIVER}\.Values\.global\.imageRegistry \| default ${RECEIVER}\.Values\.${PATH}\.registry$`);
const REGISTRY_GLOBAL_CALL = new RegExp(String.raw`^default ${RECEIVER}\.Values\.${PATH}\.registry ${RECEIVER}\.Values\.global\.imageRegistry$`);
const WHOLE = new RegExp(String.raw`^${RECEIVER}\.Values\.${PATH}$`);
const BITNAMI = /^include "common\.images\.image" \( ?dict ((?:"\w+" [^\s()]+ ?)+)\)$/;

interface Part {
  receiver: string;
  path: string;
}

function part(re: RegExp, body: string, receiverGroups: number[], pathGroup: number): Part | null {
  const match = re.exec(body);
  if (!match) return null;
  const receivers = receiverGroups.map((group) => match[group] ?? '');
  if (receivers.some((receiver) => receiver !== receivers[0])) return null;
  return { receiver: receivers[0]!, path: match[pathGroup]! };
}

const tagPart = (body: string): (Part & { appVersion: boolean }) | null => {
  const plain = part(TAG, body, [1], 2);
  if (plain) return { ...plain, appVersion: false };
  const withDefault = part(TAG_DEFAULT_PIPE, body, [1], 2) ?? part(TAG_DEFAULT_CALL, body, [1], 2);
  return withDefault ? { ...withDefault, appVersion: true } : null;
};

const registryPart = (body: string): Part | null =>
  part(REGISTRY, body, [1], 2) ?? part(REGISTRY_GLOBAL_PIPE, body, [1, 2], 3) ?? part(REGISTRY_GLOBAL_CALL, body, [1, 3], 2);

const contextOf = (receiver: string): string => (receiver === '' ? '.' : receiver);

/**
 * A whole `image:` value (inside optional quotes) made only of one recognised expression. `actions` are the
 * value's actions with offsets relative to `inner`, the value without its quotes.
 */
export function recognizeImageValue(inner: string, actions: readonly Action[], stringPaths: (path: string) => boolean): GuardCall | null {
  const texts: string[] = [];
  let at = 0;
  for (const action of actions) {
    texts.push(inner.slice(at, action.start));
    at = action.end;
  }
  texts.push(inner.slice(at));
  const bodies = actions.map((action) => action.body);
  const joiners = texts.join('|');
  let parts: (Part | null)[];
  let appVersion = false;
  if (bodies.length === 1 && joiners === '|') {
    const whole = part(WHOLE, bodies[0]!, [1], 2);
    if (!whole || !stringPaths(whole.path)) return null;
    parts = [whole];
  } else if ((bodies.length === 2 && joiners === '|:|') || (bodies.length === 3 && joiners === '|/|:|')) {
    const tag = tagPart(bodies[bodies.length - 1]!);
    appVersion = tag?.appVersion ?? false;
    parts = [bodies.length === 3 ? registryPart(bodies[0]!) : null, part(REPOSITORY, bodies[bodies.length - 2]!, [1], 2), tag];
    if (bodies.length === 2) parts.shift();
  } else {
    return null;
  }
  const first = parts[0];
  if (!first || parts.some((p) => !p || p.receiver !== first.receiver || p.path !== first.path)) return null;
  return { path: first.path, context: contextOf(first.receiver), appVersion };
}

/** A Bitnami `include "common.images.image" (dict ...)` action body. */
export function recognizeBitnamiCall(body: string): GuardCall | null {
  const match = BITNAMI.exec(body);
  if (!match) return null;
  const args = new Map<string, string>();
  for (const pair of match[1]!.matchAll(/"(\w+)" ([^\s()]+)/g)) {
    if (args.has(pair[1]!)) return null;
    args.set(pair[1]!, pair[2]!);
  }
  if ([...args.keys()].some((key) => !['imageRoot', 'global', 'chart'].includes(key))) return null;
  const root = part(WHOLE, args.get('imageRoot') ?? '', [1], 2);
  if (!root) return null;
  const global = args.get('global');
  if (global !== undefined && global !== `${root.receiver}.Values.global`) return null;
  const chart = args.get('chart');
  if (chart !== undefined && !new RegExp(`^${RECEIVER}\\.Chart$`).test(chart)) return null;
  return { path: root.path, context: contextOf(root.receiver), appVersion: chart !== undefined };
}

export function isBitnamiCall(body: string): boolean {
  return body.startsWith('include "common.images.image"');
}

/** The action that replaces a recognised expression, keeping the original's outer trim markers. */
export function guardAction(call: GuardCall, templateName: string, trimLeft: boolean, trimRight: boolean): string {
  const receiver = call.context === '.' ? '' : call.context;
  const appVersion = call.appVersion ? '' : ' "appVersion" false';
  const args = `(dict "image" ${receiver}.Values.${call.path} "path" "${call.path}" "context" ${call.context}${appVersion})`;
  return `{{${trimLeft ? '- ' : ' '}include "${templateName}" ${args}${trimRight ? ' -' : ' '}}}`;
}
