/**
 * Latent landmines: image fields in values that the current render does not use (a disabled sidecar, grafana's
 * imageRenderer.image) but that would deploy a moving tag the day someone enables them. Reported as warnings
 * with the values location only. Only tags the values spell out are judged: an empty tag may fall back to
 * appVersion in a template we cannot see, so it is left alone.
 */
import { classifyImage, type ImageClass } from '../image/classify.js';
import type { Finding } from '../report/types.js';
import { findRule } from '../rules/index.js';
import type { Severity } from '../rules/types.js';
import type { DetectedImage } from '../values/detect.js';
import type { ValueOrigin } from '../values/types.js';
import { formatValuesPath } from '../values/types.js';
import type { LintSettings } from './engine.js';

const RULE_OF_CLASS: Partial<Record<ImageClass, string>> = {
  latest: 'no-latest-tag',
  untagged: 'no-untagged-image',
  mutable: 'no-mutable-tag',
  floating: 'no-floating-tag',
};
const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** The reference a values image field spells out, or null when its tag is left to the template. */
export function composedReference(image: DetectedImage): string | null {
  const name = image.name?.value ?? '';
  if (image.kind === 'string') return name;
  const tag = image.tag?.value ?? '';
  const digest = image.digest?.value ?? '';
  if (name === '' || (tag === '' && digest === '')) return null;
  const registry = image.registry?.value ?? '';
  const prefix = registry !== '' && !name.startsWith(`${registry}/`) ? `${registry}/` : '';
  const digestPart = digest === '' ? '' : digest.includes(':') ? `@${digest}` : `@sha256:${digest}`;
  return `${prefix}${name}${tag === '' ? '' : `:${tag}`}${digestPart}`;
}

export function latentFindings(
  unused: readonly DetectedImage[],
  originOf: (image: DetectedImage) => ValueOrigin[],
  settings: LintSettings,
  target: number,
): Finding[] {
  const findings: Finding[] = [];
  for (const image of unused) {
    const reference = composedReference(image);
    if (reference === null) continue;
    const { class: imageClass } = classifyImage(reference, { mutableTags: settings.mutableTags });
    const rule = findRule(RULE_OF_CLASS[imageClass] ?? '');
    if (!rule || rule.scope !== 'image') continue;
    const configured = settings.severities[rule.id] ?? rule.defaultSeverity;
    if (configured === 'off') continue;
    const severity: Severity = RANK[configured] > RANK.warning ? 'warning' : configured;
    const values = originOf(image);
    const where = formatValuesPath(image.path);
    findings.push({
      ruleId: rule.id,
      messageId: 'latent',
      severity,
      message:
        `Values field ${where} holds "${reference}" (${imageClass}); this render does not use it, ` +
        'but enabling it would deploy a moving tag. Pin it now.',
      image: reference,
      class: imageClass,
      resource: null,
      container: null,
      template: null,
      hook: null,
      values,
      target,
      file: values[0]?.file ?? null,
      line: values[0]?.line ?? null,
      latent: true,
    });
  }
  return findings;
}
