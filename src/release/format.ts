import { formatReleaseJson } from './format-json.js';
import { formatReleaseMarkdown } from './format-markdown.js';
import { formatReleaseText } from './format-text.js';
import type { ReleaseFormat, ReleaseReport } from './report.js';

export interface ReleaseFormatOptions {
  color: boolean;
}

/** One formatter per release output format; a format without one does not compile. */
export const RELEASE_FORMATTERS: Record<ReleaseFormat, (report: ReleaseReport, options: ReleaseFormatOptions) => string> = {
  text: formatReleaseText,
  json: (report) => formatReleaseJson(report),
  markdown: (report) => formatReleaseMarkdown(report),
};
