/**
 * Line-level reading of Go templates, enough for inject: which lines sit inside a `{{/* ... *\/}}` comment,
 * the actions of a line, `image:` lines, and which named templates call the guard. Not a template parser: it
 * knows the shapes charts write on one line (as of 2026-11: helm create, Bitnami, the corpus charts).
 */

export interface Action {
  /** Offsets of `{{` and just past `}}` in the line. */
  start: number;
  end: number;
  trimLeft: boolean;
  trimRight: boolean;
  /** The action's text between the delimiters and trim markers, whitespace runs collapsed to one space. */
  body: string;
}

const ACTION = /\{\{(-\s)?\s*([\s\S]*?)\s*(\s-)?\}\}/g;
const COMMENT_OPEN = /\{\{-?\s*\/\*/;
const COMMENT_CLOSE = /\*\/\s*-?\}\}/;

/** For each line, whether it is (at least partly) inside a template comment. */
export function commentLines(lines: readonly string[]): boolean[] {
  const inside: boolean[] = [];
  let open = false;
  for (const line of lines) {
    let rest = line;
    let touched = open;
    for (;;) {
      if (open) {
        const close = COMMENT_CLOSE.exec(rest);
        if (!close) break;
        open = false;
        rest = rest.slice(close.index + close[0].length);
      } else {
        const start = COMMENT_OPEN.exec(rest);
        if (!start) break;
        open = true;
        touched = true;
        rest = rest.slice(start.index + start[0].length);
      }
    }
    inside.push(touched);
  }
  return inside;
}

export function actionsOf(line: string): Action[] {
  return [...line.matchAll(ACTION)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    trimLeft: match[1] !== undefined,
    trimRight: match[3] !== undefined,
    body: (match[2] ?? '').replace(/\s+/g, ' '),
  }));
}

export interface ImageLine {
  /** Offset where the value starts. */
  valueStart: number;
  value: string;
}

const IMAGE_KEY = /^(\s*(?:-\s+)?)image:[ \t]*(.*?)[ \t]*$/;

/** An `image: VALUE` line (a container's image field); null for other lines and for `image:` opening a map. */
export function imageLine(line: string): ImageLine | null {
  const match = IMAGE_KEY.exec(line);
  if (!match) return null;
  const value = match[2] ?? '';
  if (value === '' || value.startsWith('#')) return null;
  return { valueStart: line.indexOf(value, (match[1] ?? '').length + 'image:'.length), value };
}

const DEFINE = /\{\{-?\s*define\s+"([^"]+)"\s*-?\}\}/g;
const CALL = /\b(?:include|template)\s+"([^"]+)"/g;

/** Named templates whose body (up to the next define) calls the guard, directly or through other such templates. */
export function guardedTemplates(files: readonly string[], isGuardCall: (name: string) => boolean): Set<string> {
  const calls = new Map<string, Set<string>>();
  for (const text of files) {
    const defines = [...text.matchAll(DEFINE)];
    defines.forEach((define, i) => {
      const body = text.slice(define.index + define[0].length, defines[i + 1]?.index ?? text.length);
      const names = calls.get(define[1]!) ?? new Set<string>();
      for (const call of body.matchAll(CALL)) names.add(call[1]!);
      calls.set(define[1]!, names);
    });
  }
  const guarded = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, called] of calls) {
      if (guarded.has(name)) continue;
      if ([...called].some((callee) => isGuardCall(callee) || guarded.has(callee))) {
        guarded.add(name);
        changed = true;
      }
    }
  }
  return guarded;
}
