/** `title`: the PR title matches the agreed pattern, on the linear-time RE2 engine. */
import type { RE2JS } from "re2js";
import { code } from "../context.js";
import type { RequirementResult } from "../result.js";
import { met, unmet } from "./result.js";

export function checkTitle(pattern: RE2JS, source: string, title: string): RequirementResult {
  if (pattern.matcher(title).find()) return met("title", `The title follows the agreed pattern ${code(source)}.`);
  const shown = title.length > 120 ? `${title.slice(0, 117)}…` : title;
  return unmet("title", `The title "${shown}" does not follow the agreed pattern ${code(source)}.`, `Edit the PR title so it matches ${code(source)}.`);
}
