/**
 * Where pod specs live in each workload kind. Custom resources with a pod template at `spec.template.spec`
 * (Argo Rollouts, Knative Services, OpenKruise CloneSets) are found by shape, not by kind.
 */
import type { ContainerType } from './types.js';

export type YamlPath = readonly (string | number)[];
type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getPath(root: unknown, path: YamlPath): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      if (!isObject(current)) return undefined;
      current = current[key];
    }
  }
  return current;
}

const FIXED_POD_SPEC_PATHS: Record<string, YamlPath> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};
const TEMPLATE_POD_SPEC_PATH: YamlPath = ['spec', 'template', 'spec'];

export const CONTAINER_LISTS: readonly { key: string; type: ContainerType }[] = [
  { key: 'initContainers', type: 'initContainer' },
  { key: 'containers', type: 'container' },
  { key: 'ephemeralContainers', type: 'ephemeralContainer' },
];

function looksLikePodSpec(value: unknown): boolean {
  return isObject(value) && CONTAINER_LISTS.some(({ key }) => Array.isArray(value[key]));
}

/** The path of the resource's pod spec, or null when it has none. */
export function podSpecPath(resource: Obj): YamlPath | null {
  const kind = typeof resource.kind === 'string' ? resource.kind : '';
  const fixed = FIXED_POD_SPEC_PATHS[kind];
  if (fixed) return looksLikePodSpec(getPath(resource, fixed)) ? fixed : null;
  return looksLikePodSpec(getPath(resource, TEMPLATE_POD_SPEC_PATH)) ? TEMPLATE_POD_SPEC_PATH : null;
}
