/** Finds the sub-schema at a path, to list the keys that are valid there. */
import type { z } from "zod";
import { agreementFileSchema } from "./schema.js";

type AnySchema = z.core.$ZodType;

function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = current._zod.def as unknown as Record<string, unknown>;
    const inner = (def.innerType ?? (def.type === "pipe" ? def.in : undefined)) as AnySchema | undefined;
    if (!inner) return current;
    current = inner;
  }
}

function child(schema: AnySchema, segment: PropertyKey): AnySchema | undefined {
  const def = unwrap(schema)._zod.def as unknown as Record<string, unknown>;
  if (def.type === "object") return (def.shape as Record<string, AnySchema>)[String(segment)];
  if (def.type === "array") return def.element as AnySchema;
  if (def.type === "record") return def.valueType as AnySchema;
  return undefined;
}

export function knownKeysAt(path: readonly PropertyKey[], root: AnySchema = agreementFileSchema): string[] {
  let schema: AnySchema | undefined = root;
  for (const segment of path) {
    if (!schema) return [];
    schema = child(schema, segment);
  }
  if (!schema) return [];
  const def = unwrap(schema)._zod.def as unknown as Record<string, unknown>;
  return def.type === "object" ? Object.keys(def.shape as Record<string, unknown>) : [];
}
