/** Merging imageguard's part into an author's values.schema.json (src/schema/merge.ts, json-edit.ts). */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { MARKER, type SchemaObject } from '../../src/schema/generate.js';
import { definitionsKeyOf, mergeSchema, newSchemaText, ownedFragment, parseSchemaText } from '../../src/schema/merge.js';

const fragment = (key = 'definitions', marker = 'a'): SchemaObject => ({
  $comment: MARKER,
  [key]: { tag: { type: 'string', pattern: `^${marker}$` } },
  properties: { image: { properties: { tag: { $ref: `#/${key}/imageguard/${key}/tag` } } } },
});

/** The author's text with imageguard's two parts taken out again, for "nothing else changed" checks. */
function withoutOwned(text: string): unknown {
  const schema = JSON.parse(text) as Record<string, unknown>;
  const strip = (node: Record<string, unknown>): void => {
    if (Array.isArray(node.allOf)) {
      node.allOf = (node.allOf as { $ref?: string }[]).filter((item) => !/^#\/(definitions|\$defs)\/imageguard$/.test(item.$ref ?? ''));
    }
  };
  for (const key of ['definitions', '$defs']) delete (schema[key] as Record<string, unknown> | undefined)?.imageguard;
  strip(schema);
  for (const key of ['definitions', '$defs']) for (const def of Object.values((schema[key] as Record<string, Record<string, unknown>>) ?? {})) strip(def);
  return schema;
}

const AUTHOR = `{
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "My chart",
    "type": "object",
    "properties": {
        "replicaCount": { "type": "integer", "minimum": 1, "description": "Pods \\u00e9 1.0" },
        "image": { "$ref": "#/definitions/image" },
        "mode": { "enum": ["a", "b"] }
    },
    "allOf": [ { "required": ["image"] } ],
    "definitions": {
        "image": {
            "type": "object",
            "properties": { "repository": { "type": "string" }, "tag": { "type": "string", "description": "The tag" } }
        }
    }
}
`;

describe('mergeSchema', () => {
  it('adds a definition and an allOf reference, in the file\'s own style, and nothing else', () => {
    const merged = mergeSchema(AUTHOR, fragment(), 'values.schema.json')!;
    // Every line the author wrote is still there; only the allOf line gained an element.
    const kept = AUTHOR.split('\n').filter((line) => !merged.includes(line));
    expect(kept).toEqual(['    "allOf": [ { "required": ["image"] } ],']);
    expect(withoutOwned(merged)).toEqual(JSON.parse(AUTHOR));
    expect(merged).toContain('\\u00e9 1.0'); // escapes and number spelling untouched
    expect(merged).toContain('    "allOf": [ { "required": ["image"] }, { "$ref": "#/definitions/imageguard" } ],');
    expect(merged).toMatch(/\n {8}"imageguard": \{\n {12}"\$comment"/); // four-space indent followed
    expect(ownedFragment(merged, 'f')).toEqual(fragment());
  });

  it('is byte-identical on a second run, and replaces only its own part when the fragment changes', () => {
    const once = mergeSchema(AUTHOR, fragment(), 'f')!;
    expect(mergeSchema(once, fragment(), 'f')).toBe(once);
    const changed = mergeSchema(once, fragment('definitions', 'b'), 'f')!;
    expect(withoutOwned(changed)).toEqual(JSON.parse(AUTHOR));
    expect(ownedFragment(changed, 'f')).toEqual(fragment('definitions', 'b'));
    expect(mergeSchema(changed, fragment(), 'f')).toBe(once);
  });

  it('takes its part out again when there are no image fields (back to the author\'s bytes)', () => {
    const once = mergeSchema(AUTHOR, fragment(), 'f')!;
    expect(mergeSchema(once, null, 'f')).toBe(AUTHOR);
  });

  it('follows a root $ref (cert-manager) and uses $defs when the file does', () => {
    const text = '{\n  "$defs": {\n    "values": {\n      "type": "object",\n      "additionalProperties": false\n    }\n  },\n  "$ref": "#/$defs/values",\n  "$schema": "http://json-schema.org/draft-07/schema#"\n}\n';
    const root = parseSchemaText(text, 'f');
    expect(definitionsKeyOf(root)).toBe('$defs');
    const merged = mergeSchema(text, fragment('$defs'), 'f')!;
    const schema = JSON.parse(merged) as { $defs: Record<string, { allOf?: unknown }>; allOf?: unknown };
    expect(schema.allOf).toBeUndefined(); // helm ignores siblings of a draft-07 $ref
    expect(schema.$defs.values!.allOf).toEqual([{ $ref: '#/$defs/imageguard' }]);
    expect(Object.keys(schema.$defs)).toEqual(['values', 'imageguard']);
    expect(mergeSchema(merged, fragment('$defs'), 'f')).toBe(merged);
    expect(mergeSchema(merged, null, 'f')).toBe(text);
  });

  it('keeps CRLF, tabs and one-line files as they are', () => {
    const crlf = '{\r\n\t"type": "object"\r\n}\r\n';
    const merged = mergeSchema(crlf, fragment(), 'f')!;
    expect(merged.replace(/\r\n/g, '')).not.toContain('\n');
    expect(merged).toContain('\r\n\t"allOf": [\r\n\t\t{\r\n\t\t\t"$ref"');
    const compact = '{"type":"object","properties":{}}';
    const mergedCompact = mergeSchema(compact, fragment(), 'f')!;
    expect(mergedCompact).not.toContain('\n');
    expect(JSON.parse(mergedCompact)).toMatchObject({ type: 'object', allOf: [{ $ref: '#/definitions/imageguard' }] });
  });

  it('writes a new draft-07 file when there is none, and nothing when there is nothing to say', () => {
    expect(mergeSchema(null, null, 'f')).toBeNull();
    const created = mergeSchema(null, fragment(), 'f')!;
    expect(created).toBe(newSchemaText(fragment()));
    expect(JSON.parse(created)).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', allOf: [{ $ref: '#/definitions/imageguard' }] });
    expect(JSON.parse(created)).not.toHaveProperty('additionalProperties');
  });

  it('refuses to replace a definition named imageguard that it did not write', () => {
    const foreign = '{ "definitions": { "imageguard": { "type": "string" } } }';
    expect(() => mergeSchema(foreign, fragment(), 'f')).toThrow(/was not written by imageguard/);
  });

  it('names file:line:column of invalid JSON (a usage error, exit 2)', () => {
    const broken = '{\n  "type": "object",\n  "properties": {\n}\n';
    const error = (() => {
      try {
        mergeSchema(broken, fragment(), 'chart/values.schema.json');
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/^chart\/values\.schema\.json:5:1: invalid JSON: unexpected end of JSON/);
    expect(() => mergeSchema('[]', fragment(), 'f')).toThrow(/must be a JSON object/);
    expect(() => mergeSchema('{"$ref": "other.json#/x"}', fragment(), 'f')).toThrow(/points outside the file/);
  });
});
