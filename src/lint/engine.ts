/** The pure lint engine: image uses + settings -> image records and findings. No I/O. */
import { classifyImage, DEFAULT_MUTABLE_TAGS } from '../image/classify.js';
import type { ImageUse } from '../manifest/types.js';
import { RULES } from '../rules/index.js';
import type { ChartContext, ClassifiedUse, Rule, RuleHit, RuleSeverity, Severity } from '../rules/types.js';
import type { Finding, ImageRecord, Summary } from '../report/types.js';

export interface LintSettings {
  mutableTags: readonly string[];
  /** Per-rule severity overrides; rules not named keep their default. */
  severities: Readonly<Record<string, RuleSeverity>>;
}

export const DEFAULT_SETTINGS: LintSettings = { mutableTags: DEFAULT_MUTABLE_TAGS, severities: {} };

export interface LintInput {
  target: number;
  uses: readonly ImageUse[];
  /** Chart.yaml facts for local charts; null for packaged/remote charts and --manifest input. */
  chart: Omit<ChartContext, 'uses' | 'appVersionClass'> | null;
}

export interface LintOutput {
  images: ImageRecord[];
  findings: Finding[];
}

function severityOf(rule: Rule, settings: LintSettings): RuleSeverity {
  return settings.severities[rule.id] ?? rule.defaultSeverity;
}

export function classifyUse(use: ImageUse, settings: LintSettings): ClassifiedUse {
  if (!use.isString) return { ...use, class: 'invalid', reference: null, parseError: 'not a string' };
  const result = classifyImage(use.image, { mutableTags: settings.mutableTags });
  return { ...use, class: result.class, reference: result.reference, parseError: result.error };
}

function toRecord(use: ClassifiedUse, target: number): ImageRecord {
  const ref = use.reference;
  return {
    image: use.image,
    class: use.class,
    reference: ref ? { registry: ref.domain, repository: ref.path, tag: ref.tag, digest: ref.digest } : null,
    resource: use.resource,
    container: use.container,
    template: use.template,
    hook: use.hook,
    imagePullPolicy: use.imagePullPolicy,
    values: [],
    target,
    line: use.line,
  };
}

function imageFinding(rule: Rule, severity: Severity, hit: RuleHit, record: ImageRecord): Finding {
  return {
    ruleId: rule.id,
    messageId: hit.messageId,
    severity,
    message: hit.message,
    image: record.image,
    class: record.class,
    resource: record.resource,
    container: record.container,
    template: record.template,
    hook: record.hook,
    values: record.values,
    target: record.target,
    file: null,
    line: record.line,
  };
}

export function lint(input: LintInput, settings: LintSettings = DEFAULT_SETTINGS): LintOutput {
  const uses = input.uses.map((use) => classifyUse(use, settings));
  const images = uses.map((use) => toRecord(use, input.target));
  const findings: Finding[] = [];
  uses.forEach((use, index) => {
    for (const rule of RULES) {
      const severity = severityOf(rule, settings);
      if (rule.scope !== 'image' || severity === 'off') continue;
      const hit = rule.check(use);
      if (hit) findings.push(imageFinding(rule, severity, hit, images[index]!));
    }
  });
  if (input.chart) {
    const appVersion = input.chart.appVersion;
    const appVersionClass =
      appVersion === null ? null : classifyImage(`app:${appVersion}`, { mutableTags: settings.mutableTags }).class;
    const context: ChartContext = { ...input.chart, appVersionClass, uses };
    for (const rule of RULES) {
      const severity = severityOf(rule, settings);
      if (rule.scope !== 'chart' || severity === 'off') continue;
      const hit = rule.check(context);
      if (!hit) continue;
      findings.push({
        ruleId: rule.id,
        messageId: hit.messageId,
        severity,
        message: hit.message,
        image: null,
        class: null,
        resource: null,
        container: null,
        template: null,
        hook: null,
        values: [],
        target: input.target,
        file: context.chartFile,
        line: context.appVersionLine,
      });
    }
  }
  return { images, findings };
}

export function summarize(findings: readonly Finding[]): Summary {
  const summary: Summary = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) summary[finding.severity] += 1;
  return summary;
}

export type FailOn = Severity | 'never';
const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** True when some finding is at or above the --fail-on threshold. */
export function failsThreshold(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return findings.some((finding) => RANK[finding.severity] >= RANK[failOn]);
}
