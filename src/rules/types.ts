import type { ImageClass } from '../image/classify.js';
import type { Reference } from '../image/reference.js';
import type { ImageUse } from '../manifest/types.js';

export type Severity = 'error' | 'warning' | 'info';
export type RuleSeverity = Severity | 'off';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** An image use with its reference parsed and its class decided. */
export interface ClassifiedUse extends ImageUse {
  class: ImageClass;
  reference: Reference | null;
  parseError: string | null;
}

/** Chart metadata a chart-level rule looks at (only known for local chart directories). */
export interface ChartContext {
  /** Chart.yaml path as shown to the user. */
  chartFile: string;
  appVersion: string | null;
  appVersionLine: number | null;
  /** Class appVersion would have as an image tag (same options as the images). */
  appVersionClass: ImageClass | null;
  uses: readonly ClassifiedUse[];
}

export interface RuleHit {
  /** Stable id of the message shape; tests assert this, not prose. */
  messageId: string;
  message: string;
}

interface RuleMeta {
  /** Stable kebab-case id, equal to the rule's file name; never reused. */
  id: string;
  defaultSeverity: RuleSeverity;
  description: string;
  remediation: string;
}

export interface ImageRule extends RuleMeta {
  scope: 'image';
  check(use: ClassifiedUse): RuleHit | null;
}

export interface ChartRule extends RuleMeta {
  scope: 'chart';
  check(chart: ChartContext): RuleHit | null;
}

export type Rule = ImageRule | ChartRule;
