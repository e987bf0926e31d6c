/**
 * Gathers every values source of a local chart in helm's precedence order, lowest first: subchart values.yaml
 * files (deepest first; unpacked or packaged in charts/*.tgz), the chart's values.yaml, each -f file in order,
 * then the --set family.
 */
import { localChart, type LocalChart } from '../source/chart.js';
import { loadValuesFile, parseValues } from './load.js';
import { mergeSources, type EffectiveValues, type PlacedSource } from './merge.js';
import type { ChartScope } from './provenance.js';
import { assignmentSource, parseSetArgument, SET_FLAG_ORDER, type SetAssignment, type SetFlag } from './set-args.js';
import type { ValuesPath, ValuesSource } from './types.js';

export interface ChartValues {
  effective: EffectiveValues;
  scopes: ChartScope[];
}

interface ChartNode {
  chart: LocalChart;
  templatePrefix: string;
  valuesPrefix: ValuesPath;
}

const MAX_SUBCHART_DEPTH = 8;

/** The chart and its subcharts under charts/, directories and packaged .tgz files alike. */
function chartTree(root: LocalChart): ChartNode[] {
  const nodes: ChartNode[] = [{ chart: root, templatePrefix: `${root.name}/`, valuesPrefix: [] }];
  for (let i = 0; i < nodes.length; i++) {
    const parent = nodes[i]!;
    if (parent.valuesPrefix.length >= MAX_SUBCHART_DEPTH) continue;
    // An archive that cannot be read (corrupt, too large) is left to helm, which renders the chart or says why.
    for (const files of parent.chart.files.subcharts({ skipUnreadable: true })) {
      let chart: LocalChart;
      try {
        const text = files.read('Chart.yaml');
        if (text === null) continue;
        chart = localChart(files, text);
      } catch {
        continue; // helm reports a broken subchart itself when it renders
      }
      const key = parent.chart.aliases[chart.name] ?? chart.name;
      nodes.push({
        chart,
        templatePrefix: `${parent.templatePrefix}charts/${key}/`,
        valuesPrefix: [...parent.valuesPrefix, key],
      });
    }
  }
  return nodes;
}

/** -f files and --set assignments from helm's rendering flags, as helm will apply them. */
export function userValues(helmArgs: readonly string[]): { files: string[]; sets: SetAssignment[] } {
  const files: string[] = [];
  const byFlag = new Map<SetFlag, SetAssignment[]>(SET_FLAG_ORDER.map((flag) => [flag, []]));
  for (let i = 0; i < helmArgs.length; i++) {
    const token = helmArgs[i]!;
    const eq = token.indexOf('=');
    const name = token.startsWith('--') && eq > 0 ? token.slice(0, eq) : token.startsWith('-f') && token.length > 2 ? '-f' : token;
    const inline = token.startsWith('--') && eq > 0 ? token.slice(eq + 1) : name === '-f' && token.length > 2 ? token.slice(2) : null;
    const takeValue = (): string | undefined => inline ?? helmArgs[++i];
    if (name === '-f' || name === '--values') {
      const value = takeValue();
      // helm also takes comma-separated lists and URLs for -f; URLs are not local files we can point at.
      for (const file of value?.split(',') ?? []) if (!/^[a-z]+:\/\//.test(file)) files.push(file);
    } else if ((SET_FLAG_ORDER as readonly string[]).includes(name)) {
      const value = takeValue();
      if (value !== undefined) byFlag.get(name as SetFlag)!.push(...parseSetArgument(name as SetFlag, value));
    }
  }
  return { files, sets: SET_FLAG_ORDER.flatMap((flag) => byFlag.get(flag)!) };
}

function chartValuesFile(node: ChartNode): PlacedSource | null {
  const files = node.chart.files;
  const text = files.read('values.yaml');
  if (text === null) return null;
  return { source: parseValues(text, files.show('values.yaml')), prefix: node.valuesPrefix };
}

/** The -f files of helm's rendering flags, each parsed once (`-` is stdin, which helm reads, not us). */
export function loadUserValuesFiles(helmArgs: readonly string[]): Map<string, ValuesSource> {
  const loaded = new Map<string, ValuesSource>();
  for (const file of userValues(helmArgs).files) if (file !== '-' && !loaded.has(file)) loaded.set(file, loadValuesFile(file, file));
  return loaded;
}

/** `userFiles`: the -f files already parsed, so several charts rendered with the same flags read them once. */
export function loadChartValues(
  root: LocalChart,
  helmArgs: readonly string[],
  userFiles: ReadonlyMap<string, ValuesSource> = loadUserValuesFiles(helmArgs),
): ChartValues {
  const nodes = chartTree(root);
  const sources: PlacedSource[] = [];
  for (const node of [...nodes].reverse()) {
    const source = chartValuesFile(node);
    if (source) sources.push(source);
  }
  const { files, sets } = userValues(helmArgs);
  for (const file of files) {
    const source = userFiles.get(file);
    if (source) sources.push({ source, prefix: [] });
  }
  for (const assignment of sets) sources.push({ source: assignmentSource(assignment), prefix: [] });
  const scopes: ChartScope[] = nodes.map((node) => ({
    templatePrefix: node.templatePrefix,
    valuesPrefix: node.valuesPrefix,
    appVersion:
      node.chart.appVersion === null
        ? null
        : {
            value: node.chart.appVersion,
            origin: {
              file: node.chart.chartFile,
              path: 'appVersion',
              ...(node.chart.appVersionLine ? { line: node.chart.appVersionLine } : {}),
              ...(node.chart.appVersionColumn ? { column: node.chart.appVersionColumn } : {}),
            },
          },
  }));
  return { effective: mergeSources(sources), scopes };
}
