/** The official SARIF 2.1.0 schema (shipped by @microsoft/jest-sarif) as an ajv validator for tests. */
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from './helm.js';

export const SARIF_SCHEMA_FILE = join(repoRoot, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

/**
 * The schema is draft-04, which ajv 8 no longer reads. It uses no keyword whose meaning changed after draft-04
 * (no exclusiveMinimum/Maximum, which became numbers), so dropping `$schema` and renaming the root `id` to `$id`
 * validates exactly as draft-04 would, without another dependency. The checks below fail if that ever changes.
 */
function loadSchema(): object {
  const text = readFileSync(SARIF_SCHEMA_FILE, 'utf8');
  if (/"exclusiveM(?:in|ax)imum"/.test(text)) throw new Error('SARIF schema uses draft-04 exclusive* keywords: use ajv-draft-04');
  const { $schema, id, ...rest } = JSON.parse(text) as { $schema?: unknown; id?: unknown } & Record<string, unknown>;
  if ($schema !== DRAFT_04 || typeof id !== 'string') throw new Error(`unexpected SARIF schema header: ${String($schema)}`);
  return { $id: id, ...rest };
}

// RFC 3986 shapes, enough to catch what a formatter gets wrong: spaces, backslashes, bare drive letters.
const UNRESERVED_OR_ESCAPED = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const formats = {
  uri: (value: string) => SCHEME.test(value) && UNRESERVED_OR_ESCAPED.test(value) && URL.canParse(value),
  // A relative reference may not have a `:` in its first segment (it would read as a scheme).
  'uri-reference': (value: string) => UNRESERVED_OR_ESCAPED.test(value) && (SCHEME.test(value) ? URL.canParse(value) : !/^[^/?#]*:/.test(value)),
  'date-time': (value: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i.test(value) && !Number.isNaN(Date.parse(value)),
};

// strictRequired: the schema lists `required` names inside anyOf branches without their properties (legal, only
// ajv's style check objects). unicodeRegExp: its language-tag pattern is a valid plain RegExp but not with the u flag.
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false, unicodeRegExp: false, formats }).compile(loadSchema());

/** Asserts a SARIF log (object or formatter output) matches the official schema and returns it parsed. */
export function expectValidSarif(value: unknown): SarifLog {
  const log: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  const ok = validate(log);
  expect(validate.errors ?? [], 'output must match the SARIF 2.1.0 schema').toEqual([]);
  expect(ok).toBe(true);
  return log as SarifLog;
}

/** The parts of a SARIF log the tests read. */
export interface SarifLocation {
  id?: number;
  physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number; startColumn?: number } };
  message?: { text: string };
}
export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; justification?: string }[];
}
export interface SarifLog {
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        informationUri: string;
        rules: { id: string; shortDescription: { text: string }; help: { text: string }; helpUri: string; defaultConfiguration: { level: string } }[];
      };
    };
    results: SarifResult[];
  }[];
}
