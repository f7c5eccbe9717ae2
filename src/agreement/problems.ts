/**
 * Turns zod issues into plain words: what the key must be, what it is now, and a
 * "did you mean" when a known key or value is close.
 */
import type { z } from "zod";
import { closest } from "./closest.js";
import { knownKeysAt } from "./schema-walk.js";

type Path = readonly PropertyKey[];
type RawIssue = z.core.$ZodRawIssue;

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping of keys to values",
  record: "a mapping of keys to values",
  literal: "a fixed value",
};

/** Per-parse error map: the predicate half of a message ("must be a whole number of at least 1"). */
export function predicateFor(issue: RawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is missing";
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case "too_small": {
      const minimum = Number(issue.minimum);
      if (issue.origin === "array") return `must list at least ${minimum} item${minimum === 1 ? "" : "s"}`;
      if (issue.origin === "string") return minimum <= 1 ? "must not be empty text" : `must be at least ${minimum} characters`;
      return `must be at least ${minimum}`;
    }
    case "too_big":
      return `must be at most ${String(issue.maximum)}`;
    case "invalid_value":
      return issue.values.length === 1
        ? `must be ${describeValue(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => describeValue(value)).join(", ")}`;
    case "invalid_format":
      return `must match the pattern ${"pattern" in issue ? String(issue.pattern) : issue.format}`;
    case "invalid_union":
      return "is not in a form Accord understands";
    case "unrecognized_keys":
      return "is not a key Accord knows";
    default:
      return issue.message ?? "is not valid";
  }
}

/** The full sentence for one issue, given the value that was found. */
export function sentenceFor(issue: z.core.$ZodIssue, input: unknown): string {
  const subject = subjectOf(issue.path);
  const scope = agreementScope(issue.path, input);
  if (issue.code === "unrecognized_keys") {
    // One issue per key is produced by the parser; this covers a direct call.
    return issue.keys.map((key) => unknownKeySentence(key, issue.path)).join(" ");
  }
  let sentence = `${subject} ${issue.message}`;
  const value = valueAt(input, issue.path);
  if (issue.code !== "custom" && value !== undefined) sentence += `; it is ${describeFound(value)}`;
  if (issue.code === "invalid_value" && typeof value === "string") {
    const suggestion = closest(value, issue.values.map(String));
    if (suggestion) sentence += `. Did you mean \`${suggestion}\`?`;
  }
  return scope + sentence;
}

export function unknownKeySentence(key: string, path: Path): string {
  const known = knownKeysAt(path);
  const where = path.length === 0 ? "at the top of the file" : `in ${subjectOf(path)}`;
  const suggestion = closest(key, known);
  const hint = suggestion
    ? ` Did you mean \`${suggestion}\`?`
    : known.length > 0
      ? ` Known keys here: ${known.map((k) => `\`${k}\``).join(", ")}.`
      : "";
  return `\`${key}\` is not a key Accord knows ${where}.${hint}`;
}

function subjectOf(path: Path): string {
  if (path.length === 0) return "The file";
  const parts: string[] = [];
  for (const segment of path) {
    if (typeof segment === "number") parts.push(`[${segment}]`);
    else parts.push(parts.length === 0 ? String(segment) : `.${String(segment)}`);
  }
  // Inside an agreement the location already says which one; keep the subject short.
  const text = parts.join("");
  const inside = /^agreements\[\d+\]\.(.+)$/.exec(text);
  return `\`${inside ? inside[1] : text}\``;
}

function agreementScope(path: Path, input: unknown): string {
  if (path[0] !== "agreements" || typeof path[1] !== "number" || path.length < 3) return "";
  const id = valueAt(input, ["agreements", path[1], "id"]);
  return typeof id === "string" && id.length > 0 ? `In agreement \`${id}\`: ` : `In agreement ${path[1] + 1}: `;
}

export function valueAt(input: unknown, path: Path): unknown {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function describeValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function describeFound(value: unknown): string {
  if (value === null) return "empty";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return value.length === 0 ? "empty text" : JSON.stringify(value);
  return String(value);
}
