/** `description`: agreed sections with text under them, a minimum length, a completed checklist. */
import type { Requirements } from "../../agreement/schema.js";
import { code, listOf, plural } from "../context.js";
import { sectionsOf, stripHtmlComments, uncheckedItems } from "../markdown.js";
import type { RequirementResult } from "../result.js";
import { met, unmet } from "./result.js";

/** How a heading and a `sections` entry are compared: trimmed, case-insensitive, a trailing `:` ignored. */
function headingKey(text: string): string {
  return bare(text).toLowerCase();
}

function bare(text: string): string {
  const trimmed = text.trim();
  return trimmed.endsWith(":") ? trimmed.slice(0, -1).trimEnd() : trimmed;
}

export function checkDescription(rule: NonNullable<Requirements["description"]>, body: string): RequirementResult {
  const sections = sectionsOf(body);
  const named = (name: string) => sections.filter((section) => headingKey(section.heading) === headingKey(name));
  const absent = rule.sections.filter((name) => named(name).length === 0);
  // A heading given twice (a template pasted below the text, say) is met when either has text.
  const empty = rule.sections.filter((name) => named(name).length > 0 && named(name).every((section) => section.text === ""));
  const length = stripHtmlComments(body).trim().length;
  const unchecked = rule.checklist === "complete" ? uncheckedItems(body) : [];

  const gaps: string[] = [];
  const steps: string[] = [];
  if (absent.length > 0) {
    gaps.push(`has no ${listOf(absent.map((name) => `"${name}"`))} section${absent.length > 1 ? "s" : ""}`);
    const bold = absent.length > 1 ? `bold lines such as ${code(`**${bare(absent[0]!)}:**`)}` : `a bold line ${code(`**${bare(absent[0]!)}:**`)}`;
    steps.push(`add ${listOf(absent.map((name) => code(`## ${name}`)))} (or ${bold}) with a line or two under ${absent.length > 1 ? "each" : "it"}`);
  }
  if (empty.length > 0) {
    gaps.push(`has nothing under ${listOf(empty.map((name) => `"${name}"`))}`);
    steps.push(`write a sentence or two under ${listOf(empty.map((name) => `"${name}"`))}`);
  }
  if (length < rule.min_length) {
    gaps.push(`is ${plural(length, "character")} long, shorter than the agreed ${rule.min_length}`);
    steps.push("say a little more about what changes and how it was tested");
  }
  if (unchecked.length > 0) {
    gaps.push(`has ${plural(unchecked.length, "unticked checklist item")}${unchecked[0] ? ` (first: "${unchecked[0]}")` : ""}`);
    steps.push("tick each checklist item once it is done (or remove the ones that do not apply)");
  }
  const agreed = rule.sections.length > 0 ? `The description has ${listOf(rule.sections.map((name) => `"${name}"`), 10)} sections` : "The description is as agreed";
  if (gaps.length === 0) return met("description", `${agreed}.`);
  const first = steps.join("; ");
  return unmet("description", `The description ${gaps.join("; it ")}.`, `Edit the PR description: ${first}.`);
}
