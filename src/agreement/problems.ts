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
    case "invalid_value": {
      const values = issue.values.map((value) => describeValue(value));
      return values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
    }
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

/** What to do about a key that is missing, by key name. */
const MISSING_HINTS: Record<string, string> = {
  id: "give the agreement a short id such as `pipelines-both-teams`",
  require: "add what the agreement asks for under it, such as `approvals` or `forbidden`",
  team: "name one of the teams defined under `teams`",
  pattern: "write the regular expression the title must match",
  outputs: "write `outputs: cleared`",
};

/** The full sentence for one issue, given the value that was found. */
export function sentenceFor(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === "unrecognized_keys") {
    // One issue per key is produced by the parser; this covers a direct call.
    return issue.keys.map((key) => unknownKeySentence(key, issue.path)).join(" ");
  }
  const value = valueAt(input, issue.path);
  let predicate = issue.message;
  const lastKey = issue.path[issue.path.length - 1];
  if (issue.code === "invalid_type" && value === undefined && typeof lastKey === "string" && MISSING_HINTS[lastKey]) {
    predicate += `; ${MISSING_HINTS[lastKey]}`;
  }
  let sentence = `${lead(issue.path, input)} ${predicate}`;
  // Custom messages, "lists 600 agreements" and "is 1,200 characters long" already say what was found.
  const saysValue = issue.code === "custom" || (issue.code === "too_small" && issue.origin === "string") || (issue.code === "too_big" && (issue.origin === "array" || issue.origin === "string"));
  if (!saysValue && value !== undefined) sentence += `; it is ${describeFound(value)}`;
  if (issue.code === "invalid_value" && typeof value === "string") {
    const suggestion = closest(value, issue.values.map(String));
    if (suggestion && suggestion !== value.trim()) sentence += `. Did you mean \`${suggestion}\`?`;
  }
  if (issue.path.length === 0 && issue.code === "invalid_type") {
    sentence += ". It is a mapping that starts with `version: 1`, followed by `teams` and `agreements`";
  }
  if (issue.code === "invalid_type" && issue.expected === "boolean" && typeof value === "string" && /^(yes|no|on|off|y|n)$/i.test(value.trim())) {
    sentence += `. Write \`${/^(yes|on|y)$/i.test(value.trim()) ? "true" : "false"}\``;
  }
  if (issue.code === "invalid_type" && issue.expected === "array" && typeof value === "string") {
    sentence += `. Write it as a list: \`[${JSON.stringify(value)}]\``;
  }
  if (issue.code === "invalid_type" && issue.expected === "object" && typeof value === "string" && issue.path.at(-2) === "approvals") {
    sentence += `. Write each entry as \`{ team: ${value} }\``;
  }
  if (issue.code === "invalid_type" && issue.expected === "object" && Array.isArray(value) && value.every((item) => typeof item === "string")) {
    const listed = value.join(", ");
    if (issue.path.length === 2 && issue.path[0] === "teams") sentence += `. Write \`${String(lastKey)}: { members: [${listed}] }\``;
    if (lastKey === "authors" || lastKey === "not_authors") sentence += `. Write \`${lastKey}: { users: [${listed}] }\`, or \`teams:\` for team keys`;
  }
  if (issue.code === "invalid_format" && lastKey === "id" && typeof value === "string") {
    const slug = value.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").replace(/-{2,}/g, "-");
    if (slug !== "" && slug !== value) sentence += `. Did you mean \`${slug}\`?`;
  }
  return sentence;
}

export function unknownKeySentence(key: string, path: Path): string {
  const known = knownKeysAt(path);
  const where = mappingName(path);
  const suggestion = closest(key, known);
  const home = suggestion ? undefined : homeOf(key, path);
  const hint = suggestion
    ? ` Did you mean \`${suggestion}\`?`
    : home
      ? ` It belongs under ${home}.`
      : known.length > 0
        ? ` Known keys here: ${known.map((k) => `\`${k}\``).join(", ")}.`
        : "";
  return `\`${key}\` is not a key Accord knows ${where}.${hint}`;
}

/** "in `require`", "in `settings.reviewers`", "at the top of the file": the mapping a key sits in, short, as the line number already says which agreement. */
function mappingName(path: Path): string {
  if (path.length === 0) return "at the top of the file";
  const inside = path[0] === "agreements" && typeof path[1] === "number" ? path.slice(2) : path;
  if (inside.length === 0) return `in agreement ${Number(path[1]) + 1}`;
  const text = inside.map((segment, i) => (typeof segment === "number" ? `[${segment}]` : i === 0 ? String(segment) : `.${String(segment)}`)).join("");
  return `in \`${text}\``;
}

/** Where a key that is unknown here is known instead, one level down (`paths` → under `when`). */
function homeOf(key: string, path: Path): string | undefined {
  const homes: string[] = [];
  const keysHere = knownKeysAt(path);
  for (const child of keysHere) {
    if (knownKeysAt([...path, child]).includes(key)) homes.push(`\`${child}\``);
  }
  return homes.length > 0 ? homes.join(" or ") : undefined;
}

/**
 * "In agreement `x`, `require.approvals` entry 1" — where in the file a path is, without
 * its last key. Indexes are counted from 1, as people count list entries.
 */
function place(path: Path, input: unknown): string {
  const parts: string[] = [];
  let rest = [...path];
  if (rest[0] === "agreements" && typeof rest[1] === "number") {
    const index = rest[1];
    const id = valueAt(input, ["agreements", index, "id"]);
    parts.push(typeof id === "string" && id !== "" ? `In agreement \`${id}\`` : `In agreement ${index + 1}`);
    rest = rest.slice(2);
  }
  const groups: string[] = [];
  let keys: string[] = [];
  for (const segment of rest) {
    if (typeof segment === "number") {
      groups.push(keys.length > 0 ? `\`${keys.join(".")}\` entry ${segment + 1}` : `entry ${segment + 1}`);
      keys = [];
    } else {
      keys.push(String(segment));
    }
  }
  if (keys.length > 0) groups.push(`\`${keys.join(".")}\``);
  if (groups.length > 0) parts.push(parts.length > 0 ? groups.join(", ") : `In ${groups.join(", ")}`);
  return parts.join(", ");
}

/** "In agreement `x`, `require.approvals` entry 1: `count`" — the sentence up to the predicate. */
function lead(path: Path, input: unknown): string {
  if (path.length === 0) return "The agreement file";
  const last = path[path.length - 1]!;
  // When the id itself is the problem, name the agreement by its position.
  if (path.length === 3 && path[0] === "agreements" && typeof path[1] === "number" && last === "id") return `In agreement ${path[1] + 1}: \`id\``;
  if (typeof last === "number") {
    const listKey = path[path.length - 2];
    if (listKey === "agreements" && path.length === 2) return `Agreement ${last + 1}`;
    const where = place(path.slice(0, -2), input);
    const subject = `item ${last + 1} of \`${String(listKey)}\``;
    return where === "" ? capitalise(subject) : `${where}: ${subject}`;
  }
  const where = place(path.slice(0, -1), input);
  return where === "" ? `\`${String(last)}\`` : `${where}: \`${String(last)}\``;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function valueAt(input: unknown, path: Path): unknown {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function describeValue(value: unknown): string {
  return `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;
}

function describeFound(value: unknown): string {
  if (value === null) return "empty";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return value.length === 0 ? "empty text" : JSON.stringify(value);
  return String(value);
}
