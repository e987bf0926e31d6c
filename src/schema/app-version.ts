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
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValuesPath } from '../values/types.js';
import { compareText } from '../compare.js';

const ACTION = /\{\{([\s\S]*?)\}\}/g;
const MENTIONS_APP_VERSION = /\.Chart\.AppVersion\b|\.Chart(?![\w.])/;
const MAX_FILES = 2000;

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

/** Every template file of the chart itself (templates/, not subcharts), as text. */
export function readTemplates(chartDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => compareText(a.name, b.name))) {
      if (out.length >= MAX_FILES) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        try {
          out.push(readFileSync(path, 'utf8'));
        } catch {
          // unreadable template: helm will say so when it renders
        }
      }
    }
  };
  walk(join(chartDir, 'templates'));
  return out;
}
