/**
 * Values provenance: which values produced an image's repository, tag, digest and registry.
 * It matches the rendered reference against the image fields the detector finds in the effective values of the
 * chart (or subchart) whose template rendered it, and reports the origin of each field that agrees. When no field
 * agrees, or two fields agree equally, it reports nothing rather than a wrong line.
 */
import { parseNormalizedNamed, referenceString } from '../image/reference.js';
import type { ClassifiedUse } from '../rules/types.js';
import { detectImages, type DetectedImage, type DetectedPart } from './detect.js';
import type { EffectiveValues } from './merge.js';
import { getIn } from './tree.js';
import { pathKey, type ValueOrigin, type ValuesPath } from './types.js';

export interface ChartScope {
  /** `# Source:` prefix of the chart's templates: `demo/` or `demo/charts/sub/`. */
  templatePrefix: string;
  /** Where the chart's values sit in the effective values: [] or ['sub']. */
  valuesPrefix: ValuesPath;
  appVersion: { value: string; origin: ValueOrigin } | null;
}

// Registry overrides charts read from `global` (Bitnami global.imageRegistry, ingress-nginx global.image.registry)
// or from a chart-wide key (cert-manager imageRegistry).
const GLOBAL_REGISTRY_PATHS: readonly ValuesPath[] = [['global', 'imageRegistry'], ['global', 'image', 'registry'], ['global', 'registry']];
const CHART_REGISTRY_KEYS: readonly string[] = ['imageRegistry'];
// Keys that name no container: every image field has one of them.
const GENERIC_KEYS = new Set(['image', 'images', 'repository', 'tag', 'digest', 'registry']);

function startsWith(path: ValuesPath, prefix: ValuesPath): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => path[i] === key);
}

/** The name part of a reference as written: no digest, no tag. */
function writtenName(image: string): string {
  const name = image.split('@')[0]!;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

function nameMatches(written: string, full: string, value: string): boolean {
  if (value === '') return false;
  return [written, full].some((name) => name === value || name.endsWith(`/${value}`));
}

function normalized(value: string): string | null {
  try {
    return referenceString(parseNormalizedNamed(value));
  } catch {
    return null;
  }
}

interface Match {
  image: DetectedImage;
  score: number;
  parts: ValuesPath[];
  appVersion: boolean;
  globalRegistry: ValuesPath | null;
}

export class ValuesProvenance {
  private readonly detected: DetectedImage[];
  private readonly matched = new Set<string>();
  /** Image fields by the value of their name field, and string fields by reference: locate stays linear. */
  private readonly byName = new Map<string, DetectedImage[]>();
  private readonly inScope = new Map<ChartScope, Set<DetectedImage>>();

  constructor(
    private readonly effective: EffectiveValues,
    private readonly scopes: readonly ChartScope[],
    isReference: (value: string) => boolean,
  ) {
    this.detected = detectImages(effective.tree, isReference);
    for (const image of this.detected) {
      const keys = image.kind === 'string' ? [image.name!.value, normalized(image.name!.value)] : [image.name?.value];
      for (const key of new Set(keys)) {
        if (!key) continue;
        const list = this.byName.get(key) ?? [];
        list.push(image);
        this.byName.set(key, list);
      }
    }
  }

  /** Fields whose name could have produced this reference: every `/`-suffix of the name as written and in full. */
  private namedLike(use: ClassifiedUse, written: string, full: string): DetectedImage[] {
    const keys = new Set<string>([use.image, normalized(use.image) ?? '']);
    for (const name of [written, full]) {
      const parts = name.split('/');
      for (let i = 0; i < parts.length; i++) keys.add(parts.slice(i).join('/'));
    }
    const found = new Set<DetectedImage>();
    for (const key of keys) for (const image of this.byName.get(key) ?? []) found.add(image);
    return [...found];
  }

  private scopeOf(template: string | null): ChartScope | undefined {
    const matching = this.scopes.filter((scope) => template?.startsWith(scope.templatePrefix));
    return matching.sort((a, b) => b.templatePrefix.length - a.templatePrefix.length)[0] ?? this.scopes[0];
  }

  private candidates(scope: ChartScope): Set<DetectedImage> {
    let set = this.inScope.get(scope);
    if (!set) {
      const deeper = this.scopes.filter((other) => other !== scope && startsWith(other.valuesPrefix, scope.valuesPrefix));
      set = new Set(
        this.detected.filter(
          (image) => startsWith(image.path, scope.valuesPrefix) && !deeper.some((other) => startsWith(image.path, other.valuesPrefix)),
        ),
      );
      this.inScope.set(scope, set);
    }
    return set;
  }

  private globalRegistry(domain: string, scope: ChartScope): ValuesPath | null {
    const paths = [...GLOBAL_REGISTRY_PATHS, ...CHART_REGISTRY_KEYS.map((key) => [...scope.valuesPrefix, key])];
    return paths.find((path) => getIn(this.effective.tree, path) === domain) ?? null;
  }

  private score(image: DetectedImage, use: ClassifiedUse, scope: ChartScope, written: string, full: string): Match | null {
    const ref = use.reference!;
    if (image.kind === 'string') {
      const same = image.name!.value === use.image || normalized(image.name!.value) === normalized(use.image);
      return same ? { image, score: 10, parts: [image.path], appVersion: false, globalRegistry: null } : null;
    }
    if (!image.name || !nameMatches(written, full, image.name.value)) return null;
    const parts: ValuesPath[] = [];
    const agree = (part: DetectedPart | undefined, ok: (value: string) => boolean, ignorable = false): boolean | null => {
      if (!part || part.value === '') return null;
      if (ok(part.value)) return true;
      return ignorable ? null : false;
    };
    const digest = agree(image.digest, (value) => value === ref.digest || `sha256:${value}` === ref.digest);
    // Bitnami renders digest-only when a digest is set: the tag field then does not appear in the image.
    const tag = agree(image.tag, (value) => value === ref.tag, ref.tag === null && digest === true);
    const registry = agree(image.registry, (value) => value === ref.domain || written.startsWith(`${value}/`), true);
    if (digest === false || tag === false) return null;
    if (tag) parts.push(image.tag!.path);
    if (digest) parts.push(image.digest!.path);
    parts.push(image.name.path);
    let globalRegistry: ValuesPath | null = null;
    if (registry) {
      parts.push(image.registry!.path);
    } else if (written !== image.name.value) {
      // Something was put before the name field: a global registry override, or this is another field.
      globalRegistry = this.globalRegistry(ref.domain, scope);
      if (!globalRegistry && image.registry && image.registry.value !== '') return null;
    }
    const app = scope.appVersion?.value;
    const appVersion = !tag && ref.tag !== null && app !== undefined && (ref.tag === app || ref.tag === `v${app}`);
    const score = 1 + (tag ? 2 : 0) + (digest ? 2 : 0) + (registry || globalRegistry ? 1 : 0) + (appVersion ? 1 : 0);
    return { image, score, parts, appVersion, globalRegistry };
  }

  /** Origins of the values that produced this image, most specific first; [] when undeterminable. */
  locate(use: ClassifiedUse): ValueOrigin[] {
    if (!use.reference) return [];
    const scope = this.scopeOf(use.template);
    if (!scope) return [];
    const written = writtenName(use.image);
    const full = `${use.reference.domain}/${use.reference.path}`;
    const inScope = this.candidates(scope);
    const matches = this.namedLike(use, written, full)
      .filter((image) => inScope.has(image))
      .map((image) => this.score(image, use, scope, written, full))
      .filter((match): match is Match => match !== null)
      .sort((a, b) => b.score - a.score);
    const best = matches[0];
    if (!best) return [];
    const tied = matches.filter((match) => match.score === best.score);
    const chosen = tied.length === 1 ? best : this.breakTie(tied, use, scope);
    if (!chosen) return [];
    this.matched.add(pathKey(chosen.image.path));
    const origins = chosen.parts.map((path) => this.effective.origins.get(pathKey(path)));
    if (chosen.appVersion && scope.appVersion) origins.splice(0, 0, scope.appVersion.origin);
    if (chosen.globalRegistry) origins.push(this.effective.origins.get(pathKey(chosen.globalRegistry)));
    return origins.filter((origin): origin is ValueOrigin => origin !== undefined);
  }

  /**
   * Among equally good fields, the one whose path names the container or workload; else none (never guess).
   * Only the keys below the chart's own values count: a subchart's key is in every resource name it renders.
   */
  private breakTie(tied: Match[], use: ClassifiedUse, scope: ChartScope): Match | null {
    const names = [use.container.name, use.resource.name].map((name) => name.toLowerCase());
    const named = tied.filter((match) =>
      match.image.path
        .slice(scope.valuesPrefix.length)
        .some((key) => typeof key === 'string' && !GENERIC_KEYS.has(key) && key.length > 2 && names.some((name) => name.includes(key.toLowerCase()))),
    );
    return named.length === 1 ? named[0]! : null;
  }

  /** Image fields in values that no rendered image came from. */
  unused(): DetectedImage[] {
    return this.detected.filter((image) => !this.matched.has(pathKey(image.path)));
  }

  originOf(path: ValuesPath): ValueOrigin | undefined {
    return this.effective.origins.get(pathKey(path));
  }
}
