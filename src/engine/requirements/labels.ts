/** `labels`: every `all_of` label present, no `none_of` label present. */
import type { Requirements } from "../../agreement/schema.js";
import { code, listOf } from "../context.js";
import type { RequirementResult } from "../result.js";
import { met, unmet } from "./result.js";

export function checkLabels(rule: NonNullable<Requirements["labels"]>, labels: readonly string[]): RequirementResult {
  const present = new Set(labels.map((label) => label.toLowerCase()));
  const missing = rule.all_of.filter((label) => !present.has(label.toLowerCase()));
  const blocking = rule.none_of.filter((label) => present.has(label.toLowerCase()));
  if (missing.length === 0 && blocking.length === 0) return met("labels", "The labels are as agreed.");
  const gaps: string[] = [];
  const steps: string[] = [];
  if (missing.length > 0) {
    gaps.push(`needs the label${missing.length > 1 ? "s" : ""} ${listOf(missing.map(code))}`);
    steps.push(`add ${listOf(missing.map(code))}`);
  }
  if (blocking.length > 0) {
    gaps.push(`carries ${listOf(blocking.map(code))}, which was agreed to hold a PR back`);
    steps.push(`remove ${listOf(blocking.map(code))} once it no longer applies`);
  }
  return unmet("labels", `The PR ${listOf(gaps)}.`, `${capitalise(steps.join(", and "))}.`);
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
