/** SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps): one run, one result per finding. */
import { createHash } from 'node:crypto';
import { RULES } from '../rules/index.js';
import type { RuleSeverity } from '../rules/types.js';
import { artifactUri, findingLocation, type SourceLocation } from './locations.js';
import type { Finding, Report, SuppressedFinding } from './types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/helm-imageguard/helm-imageguard';
const RULES_DOC = `${INFORMATION_URI}/blob/main/docs/rules.md`;

type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export const SARIF_LEVEL: Record<RuleSeverity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note', off: 'none' };

interface SarifLocation {
  id?: number;
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId?: string };
    region?: { startLine: number; startColumn?: number };
  };
  message?: { text: string };
}

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: SarifLevel;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: 'inSource' | 'external'; justification?: string }[];
}

export function ruleHelpUri(id: string): string {
  return `${RULES_DOC}#${id}`;
}

function sarifLocation(location: SourceLocation): SarifLocation {
  const { uri, relative } = artifactUri(location.file);
  // Relative paths are read against the checkout root, which is what GitHub code scanning maps %SRCROOT% to.
  const physical: SarifLocation['physicalLocation'] = { artifactLocation: relative ? { uri, uriBaseId: '%SRCROOT%' } : { uri } };
  if (location.line !== undefined) {
    physical.region = location.column === undefined ? { startLine: location.line } : { startLine: location.line, startColumn: location.column };
  }
  // Inside a packaged chart the artifact is the archive; the message says where in it.
  if (location.inArchive !== undefined) return { physicalLocation: physical, message: { text: `${location.inArchive} in this chart archive` } };
  return { physicalLocation: physical };
}

/** Stable across runs and line moves, so code scanning keeps one alert per problem instead of a new one per push. */
function fingerprint(report: Report, finding: Finding): string {
  const target = report.targets[finding.target];
  const parts = [
    finding.ruleId,
    target?.chart ?? target?.manifest ?? '',
    finding.resource?.kind ?? '',
    finding.resource?.name ?? '',
    finding.container?.name ?? '',
    finding.image ?? '',
    // Latent and chart-level findings have no resource: the values path or file tells them apart.
    finding.resource === null ? (finding.values[0]?.path ?? finding.file ?? '') : '',
  ];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

function result(report: Report, finding: Finding | SuppressedFinding): SarifResult {
  const ruleIndex = RULES.findIndex((rule) => rule.id === finding.ruleId);
  const { primary, template } = findingLocation(report, finding);
  const out: SarifResult = {
    ruleId: finding.ruleId,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: SARIF_LEVEL[finding.severity],
    message: { text: finding.message },
    locations: primary ? [sarifLocation(primary)] : [],
    partialFingerprints: { 'imageguard/v1': fingerprint(report, finding) },
  };
  if (primary && template) {
    out.relatedLocations = [{ id: 1, ...sarifLocation(template), message: { text: 'rendered by this template' } }];
  }
  if ('suppression' in finding) {
    const { source, reason } = finding.suppression;
    out.suppressions = [{ kind: source === 'annotation' ? 'inSource' : 'external', ...(reason ? { justification: reason } : {}) }];
  }
  return out;
}

/** Suppressed findings are included with `suppressions`, so code scanning shows them as dismissed, not absent. */
export function formatSarif(report: Report): string {
  const rules = RULES.map((rule) => ({
    id: rule.id,
    shortDescription: { text: rule.description },
    help: { text: rule.remediation },
    helpUri: ruleHelpUri(rule.id),
    defaultConfiguration: { level: SARIF_LEVEL[rule.defaultSeverity] },
  }));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'imageguard', version: report.tool.version, informationUri: INFORMATION_URI, rules } },
        results: [...report.findings, ...report.suppressed].map((finding) => result(report, finding)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
