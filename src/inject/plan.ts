/** Everything `imageguard inject` would change in a chart, decided from a snapshot without touching the disk. */
import { isScalar, LineCounter, parseDocument } from 'yaml';
import { UsageError } from '../errors.js';
import { readChartYaml } from '../source/chart.js';
import { applyDependencyEdits, libraryDependencyEdits } from './chart-yaml.js';
import { unifiedDiff } from './diff.js';
import { LIBRARY_CHART, libraryChartVersion } from './helper.js';
import { planInstall } from './install.js';
import { describeRule, HELMIGNORE, ignoredFile } from './helmignore.js';
import { applyEdits, fromLines, toLines, type LineEdit } from './lines.js';
import { rewriteTemplate, type PendingInclude } from './rewrite.js';
import { guardedTemplates } from './template-scan.js';
import type { ChartSnapshot, InjectOptions, Plan, PlannedFile, ShippedHelper } from './types.js';
import { compareText } from '../compare.js';

/** Values paths that hold a string in values.yaml (so `image: {{ .Values.P }}` is a whole reference). */
function stringPaths(snapshot: ChartSnapshot): (path: string) => boolean {
  if (snapshot.valuesYaml === null) return () => false;
  const counter = new LineCounter();
  const doc = parseDocument(snapshot.valuesYaml, { lineCounter: counter, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const { line } = counter.linePos(error.pos[0]);
    throw new UsageError(`${snapshot.shown}/values.yaml:${line}: invalid YAML: ${error.message.split('\n')[0]}`);
  }
  return (path) => {
    const node = doc.getIn(path.split('.'), true);
    return isScalar(node) && typeof node.value === 'string';
  };
}

const GUARD_NAME = /^imageguard\.v\d+\.image$/;

/**
 * helm would not load Chart.yaml, or a file inject is about to write (the helper, its block, the library chart),
 * because of .helmignore: writing there would leave the rewritten templates calling a helper helm never sees.
 */
function refuseIgnored(snapshot: ChartSnapshot, rels: readonly string[]): void {
  const ignoreFile = `${snapshot.shown}/${HELMIGNORE}`;
  const chartYaml = ignoredFile(snapshot.ignore, 'Chart.yaml');
  if (chartYaml) throw new UsageError(`${ignoreFile}: helm ignores Chart.yaml (${describeRule(chartYaml.rule)}), so it cannot load this chart; fix ${HELMIGNORE}`);
  for (const rel of rels) {
    const hit = ignoredFile(snapshot.ignore, rel);
    if (!hit) continue;
    throw new UsageError(
      `${ignoreFile}: helm ignores ${hit.path} (${describeRule(hit.rule)}), so it would not load ${snapshot.shown}/${rel}; ` +
        `change ${HELMIGNORE} or put the helper elsewhere (--into, --library)`,
    );
  }
}

export function planInject(snapshot: ChartSnapshot, shipped: ShippedHelper, options: InjectOptions): Plan {
  const chartFile = `${snapshot.shown}/Chart.yaml`;
  readChartYaml(snapshot.shown, chartFile, snapshot.chartYaml); // refuses a chart it cannot parse
  refuseIgnored(snapshot, []);
  const isString = stringPaths(snapshot);
  const install = planInstall(snapshot, shipped, options);
  const findings: { rel: string; line: number; message: string }[] = [];
  const notes: string[] = [];
  const edits = new Map<string, LineEdit[]>(install.edits);
  const pending: (PendingInclude & { rel: string })[] = [];
  let rewritten = 0;
  let unrecognised = 0;

  for (const [rel, text] of [...snapshot.templates].sort(([a], [b]) => compareText(a, b))) {
    if (rel === install.protectedFile) continue;
    const result = rewriteTemplate(toLines(text), { version: install.version, rewrite: options.rewrite, stringPath: isString });
    const block = install.protectedBlock?.rel === rel ? install.protectedBlock : null;
    const outside = (line: number) => !block || line - 1 < block.begin || line - 1 > block.end;
    const add = (line: number, message: string) => findings.push({ rel, line, message });
    for (const note of result.rewritten.filter((n) => outside(n.line))) {
      add(note.line, `.Values.${note.path} now goes through the guard`);
      rewritten++;
    }
    for (const note of result.renamed.filter((n) => outside(n.line))) add(note.line, `now calls helper v${install.version}`);
    for (const note of result.unrecognised.filter((n) => outside(n.line))) {
      add(note.line, `not rewritten (${note.reason}): ${note.text}`);
      unrecognised++;
    }
    pending.push(...result.pending.filter((n) => outside(n.line)).map((n) => ({ ...n, rel })));
    const kept = result.edits.filter((edit) => outside(edit.start + 1));
    if (kept.length > 0) edits.set(rel, [...(edits.get(rel) ?? []), ...kept]);
  }

  const files: PlannedFile[] = [];
  const newTexts = new Map(snapshot.templates);
  for (const [rel, fileEdits] of edits) {
    const before = snapshot.templates.get(rel) ?? null;
    const lines = toLines(before ?? '');
    const applied = applyEdits(lines, fileEdits);
    const after = fromLines(applied.text);
    newTexts.set(rel, after);
    if (after === before) continue;
    const label = `${snapshot.shown}/${rel}`;
    const diff = unifiedDiff(before === null ? '/dev/null' : label, label, lines, applied.text, applied.edits);
    files.push({ rel, before, after, diff, summary: before === null ? `created ${label}` : `changed ${label}` });
  }
  const libraryPrefix = `charts/${LIBRARY_CHART}/`;
  for (const [rel, text] of install.writes) {
    const before = rel.startsWith(libraryPrefix) ? (snapshot.library?.get(rel.slice(libraryPrefix.length)) ?? null) : (snapshot.templates.get(rel) ?? null);
    if (before === text) continue;
    newTexts.set(rel, text);
    files.push({ rel, before, after: text, diff: '', summary: '' });
  }

  refuseIgnored(snapshot, files.map((file) => file.rel));

  if (install.library) {
    const version = libraryChartVersion(install.version);
    const dependency = libraryDependencyEdits(chartFile, snapshot.chartYaml, LIBRARY_CHART, version);
    if (dependency.action !== 'unchanged') {
      const before = toLines(snapshot.chartYaml);
      const after = applyDependencyEdits(chartFile, before, dependency, LIBRARY_CHART, version);
      const diff = unifiedDiff(chartFile, chartFile, before, after, applyEdits(before, dependency.edits).edits);
      files.push({ rel: 'Chart.yaml', before: snapshot.chartYaml, after: fromLines(after), diff, summary: `changed ${chartFile}` });
      notes.push(`${dependency.action} ${LIBRARY_CHART} ${version} in ${chartFile} dependencies`);
      if (snapshot.hasChartLock) {
        notes.push(`${snapshot.shown}/Chart.lock does not list ${LIBRARY_CHART} ${version} yet: run helm dependency update when you next refresh it`);
      }
    }
  }

  const helperTexts = options.library ? [...install.writes.values()] : [];
  const guarded = guardedTemplates([...newTexts.values(), ...helperTexts], (name) => GUARD_NAME.test(name));
  for (const include of pending.sort((a, b) => compareText(a.rel, b.rel) || a.line - b.line)) {
    if (GUARD_NAME.test(include.name) || guarded.has(include.name)) continue;
    findings.push({ rel: include.rel, line: include.line, message: `not rewritten (includes "${include.name}", which does not call the guard): ${include.text}` });
    unrecognised++;
  }
  if (!options.rewrite) notes.push('image lines are guarded only where they call the helper: add --rewrite to rewrite the ones inject recognises');
  for (const skipped of snapshot.skipped) notes.push(`skipped ${snapshot.shown}/${skipped} (a symbolic link out of the chart)`);
  for (const ignored of snapshot.ignored) notes.push(`skipped ${snapshot.shown}/${ignored.path} (helm does not load it: ${describeRule(ignored.rule)})`);
  findings.sort((a, b) => compareText(a.rel, b.rel) || a.line - b.line);
  const messages = [
    ...(install.summary ? [install.summary] : []),
    ...findings.map((f) => `${snapshot.shown}/${f.rel}:${f.line}: ${f.message}`),
    ...notes,
  ];
  return { files, messages, rewritten, unrecognised };
}
