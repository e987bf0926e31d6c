/**
 * Where the helper lives in a chart (templates/_imageguard.tpl, a block in another template, or the vendored
 * library chart) and what inject does there: create, keep, upgrade an unchanged older copy, or refuse to touch a
 * copy an author edited (unless forced).
 */
import { UsageError } from '../errors.js';
import { HELPER_FILE, inspectHelper, LIBRARY_CHART, type HelperState } from './helper.js';
import { blockEdit, findBlock, type Block } from './into-block.js';
import { toLines, type LineEdit } from './lines.js';
import type { ChartSnapshot, InjectOptions, ShippedHelper } from './types.js';

export interface InstallPlan {
  /** Whole files inject owns (helper file, library chart files): chart-relative path -> new text. */
  writes: Map<string, string>;
  /** Line edits to a template that holds the block. */
  edits: Map<string, LineEdit[]>;
  /** Lines a rewrite must not touch: the helper's own file, or the block's range. */
  protectedFile: string | null;
  protectedBlock: { rel: string; begin: number; end: number } | null;
  /** Which version the chart will call after this run. */
  version: number;
  summary: string | null;
  library: boolean;
}

const HELPER_REL = `templates/${HELPER_FILE}`;
const LIBRARY_REL = `charts/${LIBRARY_CHART}`;
const LIBRARY_HELPER = `templates/${HELPER_FILE}`;

function intoPath(into: string): string {
  const rel = into.replace(/^\.?\/+/, '').replace(/^templates\//, '');
  const name = rel.split('/').pop() ?? '';
  if (rel === '' || rel.split('/').some((part) => part === '..' || part === '') || rel.startsWith('/')) {
    throw new UsageError(`--into ${into}: give a file below the chart's templates/ folder, e.g. _helpers.tpl`);
  }
  if (!name.startsWith('_') || !name.endsWith('.tpl')) {
    throw new UsageError(`--into ${into}: the file must be a partial (a name starting with _ and ending in .tpl), e.g. _helpers.tpl`);
  }
  if (name === HELPER_FILE) throw new UsageError(`--into ${into}: that is the default location; drop --into`);
  return `templates/${rel}`;
}

function blocks(snapshot: ChartSnapshot): Map<string, Block> {
  const found = new Map<string, Block>();
  for (const [rel, text] of snapshot.templates) {
    try {
      const block = findBlock(toLines(text));
      if (block) found.set(rel, block);
    } catch (error) {
      throw new UsageError(`${snapshot.shown}/${rel} ${(error as Error).message}; fix it by hand`);
    }
  }
  return found;
}

function existingInstalls(snapshot: ChartSnapshot): string[] {
  const found: string[] = [];
  if (snapshot.templates.has(HELPER_REL)) found.push(HELPER_REL);
  found.push(...blocks(snapshot).keys());
  if (snapshot.library !== null) found.push(`${LIBRARY_REL}/`);
  found.push(...snapshot.libraryPackages);
  return found;
}

/** 'create' | 'keep' | 'upgrade' | 'replace', or a UsageError for an edited or newer copy without --force. */
function decide(where: string, state: HelperState | null, shipped: number, force: boolean): { action: string; from: number | null } {
  if (state === null) return { action: 'create', from: null };
  if (state.edited) {
    if (!force) {
      const why = state.version === null ? 'has no imageguard-helper marker line' : 'no longer matches its checksum';
      throw new UsageError(`${where} was edited by hand (it ${why}); left alone. Rerun with --force to replace it with helper v${shipped}.`);
    }
    return { action: 'replace', from: state.version };
  }
  if (state.version === shipped) return { action: 'keep', from: shipped };
  if (state.version !== null && state.version > shipped && !force) {
    throw new UsageError(`${where} is helper v${state.version}, newer than this imageguard's v${shipped}; upgrade imageguard, or rerun with --force to replace it.`);
  }
  return { action: state.version !== null && state.version < shipped ? 'upgrade' : 'replace', from: state.version };
}

function describe(action: string, where: string, from: number | null, to: number): string | null {
  if (action === 'create') return `created ${where} (guard helper v${to})`;
  if (action === 'upgrade') return `upgraded ${where} from helper v${from} to v${to}`;
  if (action === 'replace') return `replaced ${where} with helper v${to} (--force)`;
  return null;
}

export function planInstall(snapshot: ChartSnapshot, shipped: ShippedHelper, options: InjectOptions): InstallPlan {
  if (options.library && options.into !== undefined) throw new UsageError('--library and --into exclude each other: pick one place for the helper');
  const target = options.library ? `${LIBRARY_REL}/` : options.into !== undefined ? intoPath(options.into) : HELPER_REL;
  const elsewhere = existingInstalls(snapshot).filter((found) => found !== target);
  if (elsewhere.length > 0) {
    throw new UsageError(
      `the guard helper is already in ${snapshot.shown}/${elsewhere[0]}; inject keeps one copy per chart. ` +
        (elsewhere[0]!.startsWith('charts/') ? 'Rerun with --library to update it.' : 'Drop --library/--into, or remove that copy first.'),
    );
  }
  const plan: InstallPlan = { writes: new Map(), edits: new Map(), protectedFile: null, protectedBlock: null, version: shipped.version, summary: null, library: options.library };
  const shown = `${snapshot.shown}/${target}`;
  if (options.library) {
    const current = snapshot.library?.get(LIBRARY_HELPER);
    let state = current === undefined ? (snapshot.library === null ? null : { version: null, edited: true }) : inspectHelper(current);
    if (state && !state.edited && state.version === shipped.version) {
      const same = [...shipped.library].every(([rel, text]) => snapshot.library?.get(rel) === text);
      if (!same) state = { version: state.version, edited: true };
    }
    const { action, from } = decide(`${shown}${LIBRARY_HELPER}`, state, shipped.version, options.force);
    if (action !== 'keep') for (const [rel, text] of shipped.library) plan.writes.set(`${LIBRARY_REL}/${rel}`, text);
    plan.summary = describe(action, shown, from, shipped.version);
    return plan;
  }
  if (options.into === undefined) {
    const current = snapshot.templates.get(HELPER_REL);
    const { action, from } = decide(shown, current === undefined ? null : inspectHelper(current), shipped.version, options.force);
    if (action !== 'keep') plan.writes.set(HELPER_REL, shipped.text);
    plan.protectedFile = HELPER_REL;
    plan.summary = describe(action, shown, from, shipped.version);
    return plan;
  }
  const text = snapshot.templates.get(target);
  const lines = toLines(text ?? '');
  const block = text === undefined ? null : findBlock(lines);
  const { action, from } = decide(`the imageguard block in ${shown}`, block ? inspectHelper(block.content) : null, shipped.version, options.force);
  if (action !== 'keep') plan.edits.set(target, [blockEdit(lines, block, shipped.text)]);
  if (block) plan.protectedBlock = { rel: target, begin: block.begin, end: block.end };
  plan.summary = describe(action, action === 'create' ? `an imageguard block in ${shown}` : `the imageguard block in ${shown}`, from, shipped.version);
  return plan;
}
