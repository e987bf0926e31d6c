import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';
import type { OutputFormat, Report } from './types.js';

export interface FormatOptions {
  color: boolean;
}

/** One formatter per output format; adding a format to OutputFormat without one does not compile. */
export const FORMATTERS: Record<OutputFormat, (report: Report, options: FormatOptions) => string> = {
  text: formatText,
  json: (report) => formatJson(report),
  sarif: (report) => formatSarif(report),
  github: (report) => formatGithub(report),
};
