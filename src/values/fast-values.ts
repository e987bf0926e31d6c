/**
 * A fast reading of plain values files: js-yaml builds the tree (about 7x faster than the yaml package, which keeps
 * the position of every node), and scalars are resolved by the very tags of the yaml package's schema that
 * load.ts configures, in its order, so both read `yes`, `010` or `1.10` alike. Positions come from the line
 * scanner (positions.ts).
 * Only where the two parsers are known to agree: one document, and none of anchors, aliases, tags, merge keys,
 * collection or null keys, or directives; anything else (or a js-yaml error) returns null and the caller parses fully.
 */
import { FAILSAFE_SCHEMA, load, Type, type Schema } from 'js-yaml';
import { Document, isScalar, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

interface ScalarTag {
  tag: string;
  default?: boolean | 'key';
  test?: RegExp;
  resolve?: (value: string, onError: (message: string) => void, options: object) => unknown;
}

// Features where js-yaml and the yaml package build different trees, or that need the yaml package's limits.
const NOT_PLAIN = [
  /^(?:---|\.\.\.)(?:\s|$)/m, // document markers: helm 3 and 4 read extra documents differently
  /^%/m, // directives
  /(?:^|[\s[{,])[!&*][^\s,[\]{}]/m, // tags, anchors, aliases (aliases are bounded in load.ts only)
  /<<\s*:/, // merge keys
  /^\s*(?:-\s+)*\?(?:\s|$)/m, // complex keys
  /[\]}][ \t]*:(?:[ \t]|$)|[{,][ \t]*[[{]/m, // a list or mapping as a key: the two stringify it differently
  /(?:^|[\s[{,])(?:~|null|Null|NULL)?[ \t]*:(?:[ \t]|$)/m, // null keys: "" in the yaml package, "null" in js-yaml
];

/**
 * The text without one-line quoted strings and `#` comments, for the checks above only. A stray quote mark or `#`
 * (`don't`) can cut a line short: that hides a feature only in text that is not valid YAML anyway.
 */
function withoutStringsAndComments(text: string): string {
  return text.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'/g, '""').replace(/(^|[ \t])#.*$/gm, '$1');
}

// By the options object itself: callers keep one object per set of options (load.ts, manifest/parse.ts).
const tagLists = new WeakMap<YamlOptions, ScalarTag[]>();
const schemas = new WeakMap<YamlOptions, Schema>();

/** The yaml package's implicit scalar tags for these options, in the order it tries them. */
function scalarTags(options: YamlOptions): ScalarTag[] {
  let tags = tagLists.get(options);
  if (!tags) {
    tags = (new Document(undefined, options).schema as unknown as { tags: ScalarTag[] }).tags.filter(
      (tag) => tag.default === true && tag.test instanceof RegExp && typeof tag.resolve === 'function',
    );
    tagLists.set(options, tags);
  }
  return tags;
}

function resolveWith(tag: ScalarTag, text: string): unknown {
  const value = tag.resolve!(text, (message) => {
    throw new Error(message); // js-yaml fails, the caller parses fully and reports as the yaml package does
  }, { intAsBigInt: false });
  return isScalar(value) ? value.value : value;
}

/** js-yaml's schema with the scalar tags (and order) of the yaml package's schema for these options. */
function schemaFor(options: YamlOptions): Schema {
  const cached = schemas.get(options);
  if (cached) return cached;
  const implicit = scalarTags(options).map(
    (tag, i) =>
      new Type(`tag:imageguard.invalid,2026:${i}`, {
        kind: 'scalar',
        resolve: (text: string | null) => text !== null && tag.test!.test(text),
        construct: (text: string) => resolveWith(tag, text),
      }),
  );
  const schema = FAILSAFE_SCHEMA.extend({ implicit });
  schemas.set(options, schema);
  return schema;
}

/** A plain (unquoted) mapping key as the tree has it: `1.10` is "1.1", `yes` is "true" in YAML 1.1. */
export function plainKeyResolver(options: YamlOptions): (text: string) => string {
  const tags = scalarTags(options);
  return (text) => {
    const tag = tags.find((candidate) => candidate.test!.test(text));
    return tag ? String(resolveWith(tag, text)) : text;
  };
}

/** The tree of `text` (undefined for an empty document), or null when it is not plain enough to read this way. */
export function fastValuesTree(text: string, options: YamlOptions): { tree: unknown } | null {
  if (!/^[ \t]*[^\s#]/m.test(text)) return null; // empty or comments only: no document at all
  const content = withoutStringsAndComments(text);
  if (NOT_PLAIN.some((pattern) => pattern.test(content))) return null;
  try {
    // json: a repeated key replaces the earlier one, as in the yaml package with uniqueKeys: false.
    return { tree: load(text, { schema: schemaFor(options), json: true }) };
  } catch {
    return null;
  }
}
