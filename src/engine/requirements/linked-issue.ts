/** `linked_issue`: the description references an issue. */
import { referencesAnIssue } from "../markdown.js";
import type { RequirementResult } from "../result.js";
import { met, unmet } from "./result.js";

export function checkLinkedIssue(body: string): RequirementResult {
  if (referencesAnIssue(body)) return met("linked_issue", "The description links an issue.");
  return unmet(
    "linked_issue",
    "The description does not link an issue yet.",
    "Mention the issue in the description, e.g. `Fixes #123`, `owner/repo#123`, or the issue's URL.",
  );
}
