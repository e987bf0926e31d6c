/**
 * `imageguard validate`: the values helm would render a chart with (chart defaults, -f files, the --set family),
 * checked against the chart's values.schema.json and each enabled subchart's, as helm checks them, without
 * rendering. A chart without a schema file is checked against the constraints `imageguard schema` would write.
 */
import { archiveChart, directoryChart, type ChartFiles } from '../values/chart-files.js';
import { loadHelmChart, type HelmChart } from '../values/helm-chart.js';
import { helmValues, type HelmValues } from '../values/helm-values.js';
import { jsonValue } from '../values/json-text.js';
import type { HelmDialect } from '../values/strvals.js';
import { getIn } from '../values/tree.js';
import { compileValuesSchema, type CompiledSchema } from './ajv.js';
import { planChartSchema } from './chart-schema.js';
import { parseSchemaText } from './merge.js';
import { checkChartDir } from './paths.js';
import { violations, type Violation } from './violations.js';

export interface ValidateRequest {
  chart: string;
  helmArgs: readonly string[];
  cwd: string;
  readStdin: () => string;
  /** Validate against the chart's schema merged with imageguard's constraints as `schema` would generate them. */
  withGenerated: boolean;
  settings: { mutableTags: readonly string[]; requireDigest: boolean };
  /** helm's major version; asked only when helm 3 and helm 4 would read the inputs differently. */
  helmMajor: () => Promise<HelmDialect>;
}

export interface ValidateResult {
  violations: Violation[];
  /** Schema files used (as displayed); generated ones are marked "(generated)". */
  schemas: string[];
  notes: string[];
}

function attempt(chart: HelmChart, request: ValidateRequest, dialect: HelmDialect): { values?: HelmValues; error?: unknown } {
  try {
    return { values: helmValues(chart, request.helmArgs, { dialect, cwd: request.cwd, readStdin: request.readStdin }) };
  } catch (error) {
    return { error };
  }
}

function same(a: { values?: HelmValues; error?: unknown }, b: { values?: HelmValues; error?: unknown }): boolean {
  if (a.error || b.error) return String(a.error) === String(b.error);
  return JSON.stringify(a.values!.values) === JSON.stringify(b.values!.values) && a.values!.charts.length === b.values!.charts.length;
}

/** helm's values for the request; helm is asked for its version only when its major version matters. */
async function valuesFor(chart: HelmChart, request: ValidateRequest): Promise<HelmValues> {
  let result = attempt(chart, request, 4);
  if (result.values?.dialectSensitive || result.error) {
    const three = attempt(chart, request, 3);
    if (!same(result, three) && (await request.helmMajor()) === 3) result = three;
  }
  if (result.error) throw result.error;
  return result.values!;
}

interface SchemaUse {
  compiled: CompiledSchema;
  display: string;
}

function schemaFor(chart: HelmChart, request: ValidateRequest, notes: string[]): SchemaUse | null {
  const file = chart.files.show('values.schema.json');
  const existing = chart.files.read('values.schema.json');
  let text = existing;
  let display = file;
  if (request.withGenerated || existing === null) {
    const plan = planChartSchema(chart.files, { ...request.settings, fixNumericTags: false });
    text = plan.next;
    if (existing === null && text !== null) {
      display = `${file} (generated)`;
      notes.push(`${chart.dir} has no values.schema.json: checked against the constraints \`imageguard schema\` would write`);
    } else if (existing !== null && text !== existing) {
      display = `${file} (with imageguard's constraints)`;
    }
  }
  if (text === null) return null;
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    schema = jsonValue(parseSchemaText(text, file)); // throws with file:line:column
  }
  return { compiled: compileValuesSchema(schema, file), display };
}

/** A chart directory or a packaged chart (.tgz), read in memory. */
function chartFiles(chart: string): ChartFiles {
  if (/\.(tgz|tar\.gz)$/.test(chart) && !/^(oci|https?):\/\//.test(chart)) return archiveChart(chart);
  checkChartDir(chart, 'validate');
  return directoryChart(chart);
}

export async function validateChart(request: ValidateRequest): Promise<ValidateResult> {
  const chart = loadHelmChart(chartFiles(request.chart));
  const values = await valuesFor(chart, request);
  const notes: string[] = [];
  const found: Violation[] = [];
  const schemas: string[] = [];
  const compiled = new Map<HelmChart, SchemaUse | null>();
  for (const { chart: sub, prefix } of values.charts) {
    if (!compiled.has(sub)) compiled.set(sub, schemaFor(sub, request, notes));
    const use = compiled.get(sub);
    if (!use) continue;
    if (!schemas.includes(use.display)) schemas.push(use.display);
    found.push(...violations(use.compiled, getIn(values.values, prefix) ?? {}, prefix, values.origins, use.display));
  }
  if (schemas.length === 0) notes.push(`${request.chart} has no values.schema.json and no image fields: nothing to validate`);
  return { violations: found, schemas, notes };
}
