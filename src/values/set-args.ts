/**
 * helm's --set family as provenance needs it: which values paths each flag sets. The parsing itself is helm's
 * own (strvals.ts); this file only turns one flag into assignments. Helm applies them after all -f files, in this
 * order of flag kinds (pkg/cli/values/options.go MergeValues): --set-json, --set, --set-string, --set-file,
 * --set-literal.
 */
import { parseStrvalsInto, type StrvalsMode } from './strvals.js';
import { setIn } from './tree.js';
import { formatValuesPath, pathKey, type ValueOrigin, type ValuesPath, type ValuesSource } from './types.js';

export const SET_FLAG_ORDER = ['--set-json', '--set', '--set-string', '--set-file', '--set-literal'] as const;
export type SetFlag = (typeof SET_FLAG_ORDER)[number];

export interface SetAssignment {
  flag: SetFlag;
  path: ValuesPath;
  value: unknown;
}

export const modeOf = (flag: SetFlag): StrvalsMode => flag.slice(2) as StrvalsMode;

/**
 * Assignments of one flag occurrence (`--set a=1,b=2` gives two), in the order helm makes them. Never throws:
 * what helm would refuse yields the assignments made before the error (helm reports the error itself when it
 * renders). --set-file values are the file path, not its content.
 */
export function parseSetArgument(flag: SetFlag, argument: string): SetAssignment[] {
  const assignments: SetAssignment[] = [];
  if (flag === '--set-json' && argument.trim().startsWith('{')) {
    // Helm 4's whole-object form: `--set-json '{"image":{"tag":"x"}}'`.
    try {
      const object = JSON.parse(argument) as unknown;
      if (typeof object === 'object' && object !== null && !Array.isArray(object)) {
        for (const [key, value] of Object.entries(object)) assignments.push({ flag, path: [key], value });
      }
    } catch {
      // helm refuses it too
    }
    return assignments;
  }
  try {
    parseStrvalsInto(modeOf(flag), argument, {}, {
      dialect: 4,
      onSet: (path, value) => assignments.push({ flag, path, value }),
    });
  } catch {
    // keep what was parsed before the error
  }
  return assignments;
}

/** One values source per assignment, so later ones override earlier ones like any other source. */
export function assignmentSource(assignment: SetAssignment): ValuesSource {
  const tree: Record<string, unknown> = {};
  setIn(tree, assignment.path, assignment.value);
  const origins = new Map<string, ValueOrigin>();
  const origin: ValueOrigin = { file: assignment.flag, path: formatValuesPath(assignment.path) };
  origins.set(pathKey(assignment.path), origin);
  return { tree, origins };
}
