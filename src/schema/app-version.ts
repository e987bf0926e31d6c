/**
 * Does a chart's template fall back to `.Chart.AppVersion` when an image's tag is empty? Heuristic, shapes known as
 * of 2026-11 (helm create, grafana, metrics-server, external-dns, cert-manager, Bitnami common): one template
 * action `{{ ... }}` that mentions both `.Values.<image path>` (the image object or its tag) and either
 * `.Chart.AppVersion` or the whole `.Chart` handed to a helper (Bitnami's `"chart" .Chart`). Examples:
 *   {{ .Values.image.tag | default .Chart.AppVersion }}
 *   {{ template "cert-manager.image" (tuple .Values.webhook.image ... (printf ":%s" .Chart.AppVersion)) }}
 *   {{ include "common.images.image" (dict "imageRoot" .Values.image "chart" .Chart) }}
 * When unsure the answer is no: the tag then has to be set (or a digest), which is the safe side.
 */
import type { ValuesPath } from '../values/types.js';

const ACTION = /\{\{([\s\S]*?)\}\}/g;
const MENTIONS_APP_VERSION = /\.Chart\.AppVersion\b|\.Chart(?![\w.])/;

/** The template actions of a chart that mention its appVersion. */
export function appVersionActions(templates: readonly string[]): string[] {
  const actions: string[] = [];
  for (const text of templates) {
    for (const match of text.matchAll(ACTION)) {
      const body = match[1]!;
      if (MENTIONS_APP_VERSION.test(body)) actions.push(body);
    }
  }
  return actions;
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** True when one of the actions reads the image at `imagePath` (relative to the chart's own values). */
export function fallsBackToAppVersion(actions: readonly string[], imagePath: ValuesPath): boolean {
  if (imagePath.some((key) => typeof key === 'number')) return false;
  const dotted = imagePath.map((key) => escapeRegex(String(key))).join('\\.');
  const reads = new RegExp(`\\.Values\\.${dotted}(?![\\w-])`);
  return actions.some((action) => reads.test(action));
}
