/** `--rewrite` on one template file, and the rename of older helper versions' call sites. Pure: text in, edits out. */
import { VERSIONED_NAME } from './helper.js';
import type { LineEdit, TextLines } from './lines.js';
import { guardAction, isBitnamiCall, recognizeBitnamiCall, recognizeImageValue } from './patterns.js';
import { actionsOf, commentLines, imageLine } from './template-scan.js';

export interface LineNote {
  /** 1-based. */
  line: number;
  text: string;
}
export interface Rewritten extends LineNote {
  path: string;
}
export interface Unrecognised extends LineNote {
  reason: string;
}
/** An `image:` line that includes a named template: guarded if that template calls the guard (decided later). */
export interface PendingInclude extends LineNote {
  name: string;
}

export interface TemplateRewrite {
  edits: LineEdit[];
  rewritten: Rewritten[];
  renamed: LineNote[];
  unrecognised: Unrecognised[];
  pending: PendingInclude[];
}

export interface RewriteOptions {
  version: number;
  /** Off: only rename older helper versions' call sites. */
  rewrite: boolean;
  /** True when values.yaml holds a string at this path (an `image: {{ .Values.P }}` line is then a reference). */
  stringPath: (path: string) => boolean;
}

const INCLUDE_ONLY = /^(?:include|template) "([^"]+)"/;

function unquote(value: string): { open: string; inner: string; close: string } {
  const q = value[0];
  if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) return { open: q, inner: value.slice(1, -1), close: q };
  return { open: '', inner: value, close: '' };
}

function rewriteBitnami(line: string, name: string): { line: string; paths: string[]; unknown: boolean } {
  let out = line;
  const paths: string[] = [];
  let unknown = false;
  for (const action of actionsOf(line).reverse()) {
    if (!isBitnamiCall(action.body)) continue;
    const call = recognizeBitnamiCall(action.body);
    if (!call) {
      unknown = true;
      continue;
    }
    out = out.slice(0, action.start) + guardAction(call, name, action.trimLeft, action.trimRight) + out.slice(action.end);
    paths.unshift(call.path);
  }
  return { line: out, paths, unknown };
}

export function rewriteTemplate(text: TextLines, options: RewriteOptions): TemplateRewrite {
  const result: TemplateRewrite = { edits: [], rewritten: [], renamed: [], unrecognised: [], pending: [] };
  const name = `imageguard.v${options.version}.image`;
  const comments = commentLines(text.lines);
  text.lines.forEach((original, index) => {
    if (comments[index]) return;
    const lineNumber = index + 1;
    let line = original.replace(VERSIONED_NAME, (all, version: string, entry: string) =>
      Number(version) === options.version ? all : `"imageguard.v${options.version}.${entry}"`,
    );
    if (line !== original) result.renamed.push({ line: lineNumber, text: original.trim() });
    if (options.rewrite && !/^\s*#/.test(line)) {
      const bitnami = rewriteBitnami(line, name);
      line = bitnami.line;
      for (const path of bitnami.paths) result.rewritten.push({ line: lineNumber, text: original.trim(), path });
      if (bitnami.unknown) {
        result.unrecognised.push({ line: lineNumber, text: original.trim(), reason: 'a common.images.image call with arguments inject does not know' });
      }
      const image = imageLine(line);
      if (image && !bitnami.unknown && bitnami.paths.length === 0 && !image.value.includes('"imageguard.v')) {
        const { open, inner, close } = unquote(image.value);
        const actions = actionsOf(inner);
        const call = recognizeImageValue(inner, actions, options.stringPath);
        if (call) {
          const guard = guardAction(call, name, actions[0]!.trimLeft, actions[actions.length - 1]!.trimRight);
          line = `${line.slice(0, image.valueStart)}${open}${guard}${close}${line.slice(image.valueStart + image.value.length)}`;
          result.rewritten.push({ line: lineNumber, text: original.trim(), path: call.path });
        } else if (!image.value.includes('{{')) {
          result.unrecognised.push({ line: lineNumber, text: original.trim(), reason: `hard-coded image ${image.value}; pin it, or move it to values and use the guard` });
        } else {
          const include = actions.length === 1 && inner.trim() === inner.slice(actions[0]!.start, actions[0]!.end) ? INCLUDE_ONLY.exec(actions[0]!.body) : null;
          if (include) result.pending.push({ line: lineNumber, text: original.trim(), name: include[1]! });
          else result.unrecognised.push({ line: lineNumber, text: original.trim(), reason: 'image expression not recognised' });
        }
      }
    }
    if (line !== original) result.edits.push({ start: index, deleteCount: 1, insert: [line] });
  });
  return result;
}
