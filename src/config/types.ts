/** The `.imageguard.yaml` configuration after validation (schemas/config.schema.json describes the file). */
import type { RuleSeverity } from '../rules/types.js';

export interface IgnoreEntry {
  /** Image glob; null when the entry does not restrict by image. */
  image: string | null;
  /** Rule id, or `all` (the default when the file omits it). */
  rule: string;
  /** `Kind/name` or `name` glob; null when the entry does not restrict by resource. */
  resource: string | null;
  reason: string;
  /** Last day (YYYY-MM-DD) the entry applies; null = no expiry. */
  expires: string | null;
  /** 1-based line of the entry in the config file, for messages; null when not from a file. */
  line: number | null;
}

export interface MutableTagsConfig {
  /** Added to the built-in list (or to `replace`). */
  add: string[];
  /** Replaces the built-in list when set. */
  replace: string[] | null;
}

export interface ImageguardConfig {
  /** The file it came from, as given to loadConfigFile; null for the default config. */
  file: string | null;
  /** Per-rule severities, with the `floating` / `requireDigest` shorthands folded in. */
  severities: Record<string, RuleSeverity>;
  mutableTags: MutableTagsConfig;
  ignore: IgnoreEntry[];
}

/** The configuration used when there is no config file (or it is empty). */
export function defaultConfig(file: string | null = null): ImageguardConfig {
  return { file, severities: {}, mutableTags: { add: [], replace: null }, ignore: [] };
}
