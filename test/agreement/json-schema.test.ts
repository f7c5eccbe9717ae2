import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseAgreements } from "../../src/agreement/parse.js";
import { agreementJsonSchema } from "../../src/agreement/schema.js";

type Schema = Record<string, unknown>;

/** Every keyword of JSON Schema draft 2020-12 (core, applicator, validation, meta-data, format, content, unevaluated). */
const KEYWORDS_2020_12 = new Set([
  "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs",
  "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "prefixItems", "items", "contains",
  "properties", "patternProperties", "additionalProperties", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
  "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",
  "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties",
  "minProperties", "required", "dependentRequired", "title", "description", "default", "deprecated", "readOnly",
  "writeOnly", "examples", "format", "contentEncoding", "contentMediaType", "contentSchema",
]);
const TYPES = new Set(["null", "boolean", "object", "array", "number", "string", "integer"]);
const SCHEMA_MAPS = ["properties", "$defs", "patternProperties", "dependentSchemas"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_VALUES = ["items", "additionalProperties", "propertyNames", "not", "if", "then", "else", "contains"];

/** Every sub-schema with the JSON pointer to it. */
function* walk(schema: unknown, pointer = "#"): Generator<[string, Schema]> {
  if (typeof schema !== "object" || schema === null) return;
  const node = schema as Schema;
  yield [pointer, node];
  for (const key of SCHEMA_MAPS) {
    for (const [name, child] of Object.entries((node[key] as Schema | undefined) ?? {})) yield* walk(child, `${pointer}/${key}/${name}`);
  }
  for (const key of SCHEMA_LISTS) {
    for (const [i, child] of ((node[key] as unknown[] | undefined) ?? []).entries()) yield* walk(child, `${pointer}/${key}/${i}`);
  }
  for (const key of SCHEMA_VALUES) if (typeof node[key] === "object") yield* walk(node[key], `${pointer}/${key}`);
}

/** A small validator for the keywords this schema uses; enough to check files against it the way an editor would. */
function validate(schema: Schema, value: unknown, at = "$"): string[] {
  const errors: string[] = [];
  const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  if (schema.type !== undefined) {
    const types = ([] as unknown[]).concat(schema.type);
    const actual = typeOf(value);
    const ok = types.some((t) => t === actual || (t === "integer" && typeof value === "number" && Number.isInteger(value)));
    if (!ok) return [`${at}: expected ${types.join("|")}, got ${actual}`];
  }
  if ("const" in schema && value !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${at}: not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && [...value].length < schema.minLength) errors.push(`${at}: too short`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) errors.push(`${at}: does not match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) errors.push(`${at}: too few items`);
    if (typeof schema.items === "object") value.forEach((item, i) => errors.push(...validate(schema.items as Schema, item, `${at}[${i}]`)));
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in object)) errors.push(`${at}: missing ${key}`);
    if (typeof schema.minProperties === "number" && Object.keys(object).length < schema.minProperties) errors.push(`${at}: too few properties`);
    for (const [key, child] of Object.entries(object)) {
      if (properties[key]) errors.push(...validate(properties[key]!, child, `${at}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unknown key ${key}`);
      else if (typeof schema.additionalProperties === "object") errors.push(...validate(schema.additionalProperties as Schema, child, `${at}.${key}`));
      if (typeof schema.propertyNames === "object") errors.push(...validate(schema.propertyNames as Schema, key, `${at}{${key}}`));
    }
  }
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((option) => validate(option as Schema, value, at).length === 0)) {
    errors.push(`${at}: matches none of anyOf`);
  }
  return errors;
}

const schema = agreementJsonSchema();
const SPEC_EXAMPLE = readFileSync(new URL("../fixtures/agreements/spec-example.yml", import.meta.url), "utf8");

describe("agreementJsonSchema()", () => {
  it("declares draft 2020-12, an $id and a title", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toMatch(/^https:\/\//);
    expect(schema.title).toBe("Accord agreement file");
    expect(schema.type).toBe("object");
  });

  it("is plain JSON (serialises and reads back identical)", () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it("uses only draft 2020-12 keywords, valid types and compilable patterns", () => {
    for (const [pointer, node] of walk(schema)) {
      for (const key of Object.keys(node)) expect(KEYWORDS_2020_12.has(key), `${pointer}: ${key}`).toBe(true);
      for (const type of ([] as unknown[]).concat(node.type ?? [])) expect(TYPES.has(type as string), `${pointer}: type ${String(type)}`).toBe(true);
      if (typeof node.pattern === "string") expect(() => new RegExp(node.pattern as string, "u"), pointer).not.toThrow();
      if (node.required !== undefined) {
        expect(Array.isArray(node.required), pointer).toBe(true);
        const properties = Object.keys((node.properties as Schema | undefined) ?? {});
        // `required` inside an anyOf branch names properties of the parent object.
        if (properties.length > 0) for (const key of node.required as string[]) expect(properties, `${pointer} requires ${key}`).toContain(key);
      }
    }
  });

  it("closes every object with `additionalProperties: false`, except the `teams` map keyed by team", () => {
    const open: string[] = [];
    for (const [pointer, node] of walk(schema)) {
      if (node.properties === undefined) continue;
      expect(node.type, pointer).toBe("object");
      if (node.additionalProperties !== false) open.push(pointer);
    }
    expect(open).toEqual([]);
    const teams = (schema.properties as Record<string, Schema>).teams!;
    expect(teams.type).toBe("object");
    expect((teams.additionalProperties as Schema).additionalProperties).toBe(false);
  });

  it("describes every key", () => {
    const undescribed: string[] = [];
    let keys = 0;
    for (const [pointer, node] of walk(schema)) {
      for (const [key, child] of Object.entries((node.properties as Record<string, Schema> | undefined) ?? {})) {
        keys += 1;
        if (typeof child.description !== "string" || child.description.length < 8) undescribed.push(`${pointer}/${key}`);
      }
    }
    expect(undescribed).toEqual([]);
    expect(keys).toBeGreaterThan(40);
  });

  it("has a property for every key of the SPEC example, at every level", () => {
    const missing: string[] = [];
    const visit = (value: unknown, node: Schema, at: string) => {
      if (typeof value !== "object" || value === null) return;
      if (Array.isArray(value)) {
        value.forEach((item, i) => visit(item, (node.items as Schema) ?? {}, `${at}[${i}]`));
        return;
      }
      for (const [key, child] of Object.entries(value)) {
        const properties = node.properties as Record<string, Schema> | undefined;
        const sub = properties?.[key] ?? (typeof node.additionalProperties === "object" ? (node.additionalProperties as Schema) : undefined);
        if (!sub) missing.push(`${at}.${key}`);
        else visit(child, (sub.anyOf as Schema[] | undefined)?.find((option) => option.type === "object") ?? sub, `${at}.${key}`);
      }
    };
    visit(parseYaml(SPEC_EXAMPLE), schema, "$");
    expect(missing).toEqual([]);
  });

  it("accepts the SPEC example and a minimal file", () => {
    expect(validate(schema, parseYaml(SPEC_EXAMPLE))).toEqual([]);
    expect(validate(schema, { version: 1 })).toEqual([]);
  });

  it.each([
    ["an unknown top-level key", { version: 1, agreement: [] }],
    ["a wrong version", { version: 2 }],
    ["an unknown settings value", { version: 1, settings: { comment: "sometimes" } }],
    ["an agreement without require", { version: 1, agreements: [{ id: "a" }] }],
    ["an empty require", { version: 1, agreements: [{ id: "a", require: {} }] }],
    ["a bad id", { version: 1, agreements: [{ id: "Bad_Id", require: { linked_issue: true } }] }],
    ["count 0", { version: 1, agreements: [{ id: "a", require: { approvals: [{ team: "x", count: 0 }] } }] }],
    ["a size without limits", { version: 1, agreements: [{ id: "a", require: { size: { ignore: [] } } }] }],
    ["a max_file_size of 5TB", { version: 1, agreements: [{ id: "a", require: { max_file_size: "5TB" } }] }],
    ["a team without members or github_team", { version: 1, teams: { ds: { name: "DS" } } }],
    ["a typo in when", { version: 1, agreements: [{ id: "a", when: { pahts: [] }, require: { linked_issue: true } }] }],
  ])("rejects %s, as `accord validate` does", (_, file) => {
    expect(validate(schema, file).length).toBeGreaterThan(0);
    expect(parseAgreements(JSON.stringify(file)).ok).toBe(false);
  });

  it("accepts `max_file_size` in any unit case, as Accord does", () => {
    for (const size of ["5MB", "5mb", "1.5 GB", "96B", 1024]) {
      const file = { version: 1, agreements: [{ id: "a", require: { max_file_size: size } }] };
      expect(validate(schema, file), String(size)).toEqual([]);
      expect(parseAgreements(JSON.stringify(file)).ok, String(size)).toBe(true);
    }
  });
});
