/** The JSON report contract (DESIGN.md), versioned by schemaVersion; schemas/report.schema.json describes it. */
import type { ImageClass } from '../image/classify.js';
import type { ContainerRef, ResourceRef } from '../manifest/types.js';
import type { Severity } from '../rules/types.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface ValuesLocation {
  file: string;
  path: string;
  line?: number;
  column?: number;
}

export interface Target {
  /** Chart as given on the command line, or null for --manifest input. */
  chart: string | null;
  /** --manifest file (`-` for stdin), or null for charts. */
  manifest: string | null;
  release: string | null;
  namespace: string | null;
  helmVersion: string | null;
}

export interface ReferenceParts {
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

export interface ImageRecord {
  image: string;
  class: ImageClass;
  reference: ReferenceParts | null;
  resource: ResourceRef;
  container: ContainerRef;
  template: string | null;
  hook: string | null;
  imagePullPolicy: string | null;
  values: ValuesLocation[];
  /** Index into `targets`. */
  target: number;
  /** Line in the rendered stream (useful for --manifest input). */
  line: number | null;
}

export interface Finding {
  ruleId: string;
  messageId: string;
  severity: Severity;
  message: string;
  /** Null for chart-level findings (e.g. no-latest-appversion), which carry `file`/`line` instead. */
  image: string | null;
  class: ImageClass | null;
  resource: ResourceRef | null;
  container: ContainerRef | null;
  template: string | null;
  hook: string | null;
  values: ValuesLocation[];
  target: number;
  file: string | null;
  line: number | null;
  /** True for an image field in values that the current render does not use (a latent landmine). */
  latent: boolean;
}

/** Why a finding does not count: an `imageguard.io/ignore` annotation or a config `ignore:` entry. */
export interface Suppression {
  source: 'annotation' | 'config';
  reason: string | null;
  /** Config entries may expire (YYYY-MM-DD); null for annotations and entries without expiry. */
  expires: string | null;
}

export interface SuppressedFinding extends Finding {
  suppression: Suppression;
}

export interface Summary {
  error: number;
  warning: number;
  info: number;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'imageguard'; version: string };
  targets: Target[];
  images: ImageRecord[];
  findings: Finding[];
  /** Findings an annotation or config ignore entry suppressed; they never affect the exit code. */
  suppressed: SuppressedFinding[];
  summary: Summary;
}

export type OutputFormat = 'text' | 'json' | 'sarif' | 'github';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github'];
