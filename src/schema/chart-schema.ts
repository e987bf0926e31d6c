/**
 * `imageguard schema` for one chart directory: read values.yaml and values.schema.json, generate imageguard's
 * constraints, merge them, and check that the chart's own defaults still pass them. Nothing is written here
 * (see writeChartSchema).
 */
import { UsageError } from '../errors.js';
import { isImageReference } from '../image/reference.js';
import { directoryChart, type ChartFiles } from '../values/chart-files.js';
import { detectImages, type DetectedImage } from '../values/detect.js';
import { loadHelmChart, type HelmChart } from '../values/helm-chart.js';
import { helmValues } from '../values/helm-values.js';
import { parseValuesDocuments } from '../values/load.js';
import { getIn } from '../values/tree.js';
import { pathKey, type ValuesPath, type ValuesSource } from '../values/types.js';
import { compileValuesSchema } from './ajv.js';
import { appVersionActions, fallsBackToAppVersion } from './app-version.js';
import { generateImageSchema, OWNED_KEY, type FieldPlan, type SchemaObject, type Warning } from './generate.js';
import { definitionsKeyOf, mergeSchema, parseSchemaText } from './merge.js';
import { describeNumericTag, findNumericTags, quoteNumericTags, type NumericTag } from './numeric-tags.js';
import { readIfExists } from '../io/read.js';
import { writableTarget } from './paths.js';
import { violations, type Violation } from './violations.js';

export interface SchemaOptions {
  mutableTags: readonly string[];
  requireDigest: boolean;
  fixNumericTags: boolean;
}

export interface ChartSchemaPlan {
  /** The chart directory as given. */
  dir: string;
  schemaFile: string;
  valuesFile: string;
  existing: string | null;
  next: string | null;
  fragment: SchemaObject | null;
  fields: FieldPlan[];
  warnings: Warning[];
  numericTags: NumericTag[];
  /** values.yaml before and after quoting numeric tags; null when unchanged. */
  valuesChange: { before: string; after: string } | null;
  /** The chart's defaults that imageguard's constraints would refuse (must be empty to write). */
  selfCheck: Violation[];
}

/** The first document of values.yaml with positions (a second document is ignored with a warning by the caller). */
function readValues(text: string, display: string): ValuesSource {
  const documents = parseValuesDocuments(text, display, { helmTypes: true });
  return documents[0] ?? { tree: {}, origins: new Map() };
}

function tagPaths(images: readonly DetectedImage[]): ValuesPath[] {
  return images.filter((image) => image.kind === 'object' && typeof image.tag?.raw === 'number').map((image) => image.tag!.path);
}

/**
 * Generates and merges imageguard's part for one chart (no self-check: see checkDefaults). A path is a chart
 * directory; a packaged chart (validate reads those) is planned in memory and never written.
 */
export function planChartSchema(chart: string | ChartFiles, options: SchemaOptions): ChartSchemaPlan {
  const files = typeof chart === 'string' ? directoryChart(chart) : chart;
  const dir = files.display;
  if (files.read('Chart.yaml') === null) throw new UsageError(`not a chart: ${dir} has no Chart.yaml`);
  const valuesFile = files.show('values.yaml');
  const schemaFile = files.show('values.schema.json');
  const before = files.read('values.yaml') ?? '';
  let source = readValues(before, valuesFile);
  let images = detectImages(source.tree, isImageReference);
  const numericTags = findNumericTags(before, tagPaths(images));
  let valuesChange: ChartSchemaPlan['valuesChange'] = null;
  if (options.fixNumericTags && numericTags.length > 0) {
    const after = quoteNumericTags(before, numericTags);
    valuesChange = { before, after };
    source = readValues(after, valuesFile);
    images = detectImages(source.tree, isImageReference);
  }
  const existing = files.read('values.schema.json');
  const definitionsKey = existing === null ? 'definitions' : definitionsKeyOf(parseSchemaText(existing, schemaFile));
  const actions = appVersionActions(files.templates());
  const generated = generateImageSchema({
    values: source.tree,
    images,
    origins: source.origins,
    mutableTags: options.mutableTags,
    requireDigest: options.requireDigest,
    fallsBack: (path) => fallsBackToAppVersion(actions, path),
    numericTags: new Set(valuesChange ? [] : numericTags.map((tag) => pathKey(tag.path))),
    definitionsKey,
  });
  const warnings = [...generated.warnings];
  if (!valuesChange) {
    for (const tag of numericTags) {
      warnings.push({ origin: { file: valuesFile, path: '', line: tag.line, column: tag.column }, message: describeNumericTag(tag) });
    }
  }
  warnings.sort((a, b) => (a.origin.line ?? 0) - (b.origin.line ?? 0));
  return {
    dir,
    schemaFile,
    valuesFile,
    existing,
    next: mergeSchema(existing, generated.fragment, schemaFile),
    fragment: generated.fragment,
    fields: generated.fields,
    warnings,
    numericTags,
    valuesChange,
    selfCheck: [],
  };
}

/** How many image fields a chart's own values.yaml has. */
export function imageFieldCount(chart: HelmChart): number {
  return chart.values.reduce((count, doc) => count + detectImages(doc.tree, isImageReference).length, 0);
}

/** The directories of a chart's unpacked subcharts, recursively (for --recursive); packaged ones cannot be written. */
export function subchartDirs(chart: HelmChart): string[] {
  return chart.subcharts.filter((sub) => sub.archive === null).flatMap((sub) => [sub.dir, ...subchartDirs(sub)]);
}

function withValues(chart: HelmChart, plans: ReadonlyMap<string, ChartSchemaPlan>): void {
  const plan = plans.get(chart.dir);
  if (plan?.valuesChange) chart.values = parseValuesDocuments(plan.valuesChange.after, plan.valuesFile, { helmTypes: true });
  for (const sub of chart.subcharts) withValues(sub, plans);
}

function fragmentValidator(plan: ChartSchemaPlan) {
  const key = plan.existing === null ? 'definitions' : definitionsKeyOf(parseSchemaText(plan.existing, plan.schemaFile));
  const wrapper = { $schema: 'http://json-schema.org/draft-07/schema#', [key]: { [OWNED_KEY]: plan.fragment }, allOf: [{ $ref: `#/${key}/${OWNED_KEY}` }] };
  return compileValuesSchema(wrapper, plan.schemaFile);
}

/**
 * Fills each plan's selfCheck: the chart's defaults as helm coalesces them (with values.yaml as it will be),
 * standalone and, for a subchart, inside the root chart, must pass imageguard's constraints.
 */
export function checkDefaults(rootDir: string, plans: readonly ChartSchemaPlan[]): void {
  const byDir = new Map(plans.map((plan) => [plan.dir, plan]));
  const noInput = { dialect: 4 as const, cwd: rootDir, readStdin: () => '' };
  const root = loadHelmChart(rootDir);
  withValues(root, byDir);
  const inRoot = helmValues(root, [], noInput);
  for (const plan of plans) {
    if (plan.fragment === null) continue;
    const validate = fragmentValidator(plan);
    const found: Violation[] = [];
    for (const placed of inRoot.charts.filter((enabled) => enabled.chart.dir === plan.dir)) {
      found.push(...violations(validate, getIn(inRoot.values, placed.prefix) ?? {}, placed.prefix, inRoot.origins, plan.schemaFile));
    }
    if (plan.dir !== rootDir) {
      const alone = loadHelmChart(plan.dir);
      withValues(alone, byDir);
      const own = helmValues(alone, [], { ...noInput, cwd: plan.dir });
      found.push(...violations(validate, own.values, [], own.origins, plan.schemaFile));
    }
    plan.selfCheck = found;
  }
}

export interface PendingWrite {
  /** The real path written (symlinks inside the chart resolved). */
  target: string;
  display: string;
  before: string | null;
  after: string;
}

/** What a plan would write, each target checked to be inside `rootReal` (throws before anything is written). */
export function pendingWrites(plan: ChartSchemaPlan, rootReal: string): PendingWrite[] {
  const out: PendingWrite[] = [];
  if (plan.valuesChange) {
    const target = writableTarget(plan.valuesFile, rootReal, plan.valuesFile);
    out.push({ target, display: plan.valuesFile, before: plan.valuesChange.before, after: plan.valuesChange.after });
  }
  if (plan.next !== null && plan.next !== plan.existing) {
    out.push({ target: writableTarget(plan.schemaFile, rootReal, plan.schemaFile), display: plan.schemaFile, before: plan.existing, after: plan.next });
  }
  return out;
}

/**
 * Whether `write` still has to be written: false when the file already holds the new text (another run wrote it);
 * throws when the file changed in any other way since it was read.
 */
export function isDue(write: PendingWrite): boolean {
  const now = readIfExists(write.target, write.display);
  if (now === write.after) return false;
  if (now !== write.before) throw new UsageError(`${write.display} changed while imageguard was running; nothing was written, run it again`);
  return true;
}
