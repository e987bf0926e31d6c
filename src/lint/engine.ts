/** The pure lint engine: image uses + settings -> image records and findings. No I/O. */
import { classifyImage, DEFAULT_MUTABLE_TAGS, type Classification } from '../image/classify.js';
import { referenceParts } from '../image/reference.js';
import type { ImageUse } from '../manifest/types.js';
import { RULES } from '../rules/index.js';
import type { ChartContext, ClassifiedUse, Rule, RuleHit, RuleSeverity, Severity } from '../rules/types.js';
import { IGNORE_ANNOTATION } from '../manifest/extract.js';
import type { Finding, ImageRecord, SuppressedFinding, Summary } from '../report/types.js';
import type { DetectedImage } from '../values/detect.js';
import type { ValuesProvenance } from '../values/provenance.js';
import type { ValueOrigin } from '../values/types.js';
import { latentFindings } from './latent.js';

export interface LintSettings {
  mutableTags: readonly string[];
  /** Per-rule severity overrides; rules not named keep their default. */
  severities: Readonly<Record<string, RuleSeverity>>;
}

export const DEFAULT_SETTINGS: LintSettings = { mutableTags: DEFAULT_MUTABLE_TAGS, severities: {} };

export interface LintInput {
  target: number;
  uses: readonly ImageUse[];
  /** Chart.yaml facts for local charts (directories and .tgz files); null for remote charts and --manifest input. */
  chart: Omit<ChartContext, 'uses' | 'appVersionClass'> | null;
  /** Values provenance for local charts; null when the values cannot be read (remote charts, --manifest). */
  values?: ValuesProvenance | null;
  /** Report image fields in values that this render does not use (default true). */
  latent?: boolean;
}

export interface LintOutput {
  images: ImageRecord[];
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

function severityOf(rule: Rule, settings: LintSettings): RuleSeverity {
  return settings.severities[rule.id] ?? rule.defaultSeverity;
}

export function classifyUse(use: ImageUse, settings: LintSettings, known?: Map<string, Classification>): ClassifiedUse {
  if (!use.isString) return { ...use, class: 'invalid', reference: null, parseError: 'not a string' };
  let result = known?.get(use.image);
  if (!result) {
    result = classifyImage(use.image, { mutableTags: settings.mutableTags });
    known?.set(use.image, result);
  }
  return { ...use, class: result.class, reference: result.reference, parseError: result.error };
}

function toRecord(use: ClassifiedUse, target: number, values: ValueOrigin[]): ImageRecord {
  const ref = use.reference;
  return {
    image: use.image,
    class: use.class,
    reference: referenceParts(ref),
    resource: use.resource,
    container: use.container,
    template: use.template,
    hook: use.hook,
    imagePullPolicy: use.imagePullPolicy,
    values,
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
    latent: false,
  };
}

function annotationSuppression(use: ClassifiedUse, ruleId: string): SuppressedFinding['suppression'] | null {
  if (!use.ignoredRules.includes(ruleId) && !use.ignoredRules.includes('all')) return null;
  return { source: 'annotation', reason: `${IGNORE_ANNOTATION} on ${use.resource.kind}/${use.resource.name}`, expires: null };
}

export function lint(input: LintInput, settings: LintSettings = DEFAULT_SETTINGS): LintOutput {
  // A chart repeats the same few images across many workloads: parse each string once (references are not mutated).
  const known = new Map<string, Classification>();
  const uses = input.uses.map((use) => classifyUse(use, settings, known));
  const provenance = input.values ?? null;
  const images = uses.map((use) => toRecord(use, input.target, provenance?.locate(use) ?? []));
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  uses.forEach((use, index) => {
    for (const rule of RULES) {
      const severity = severityOf(rule, settings);
      if (rule.scope !== 'image' || severity === 'off') continue;
      const hit = rule.check(use);
      if (!hit) continue;
      const finding = imageFinding(rule, severity, hit, images[index]!);
      const suppression = annotationSuppression(use, rule.id);
      if (suppression) suppressed.push({ ...finding, suppression });
      else findings.push(finding);
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
        latent: false,
      });
    }
  }
  if (provenance && input.latent !== false) {
    const originOf = (image: DetectedImage): ValueOrigin[] => {
      const parts = image.kind === 'string' ? [image.name] : [image.tag, image.digest, image.name, image.registry];
      return parts.flatMap((part) => (part && part.value !== '' ? (provenance.originOf(part.path) ?? []) : []));
    };
    findings.push(...latentFindings(provenance.unused(), originOf, settings, input.target));
  }
  return { images, findings, suppressed };
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
