/** `size`: lines changed and files changed, over every changed file not ignored. */
import type { Requirements } from "../../agreement/schema.js";
import type { CompiledGlob } from "../globs.js";
import type { PullRequestView } from "../context.js";
import { UNLISTED_FILES_HOW_TO, UNLISTED_FILES_NOTE, code, listOf, plural } from "../context.js";
import type { RequirementResult } from "../result.js";
import { met, unknown, unmet } from "./result.js";

/** Lines and files counted, shared by every agreement with the same ignore list. */
function totals(ignore: readonly CompiledGlob[], view: PullRequestView): { lines: number; files: number } {
  const key = `size\0${ignore.map((glob) => glob.source).join("\0")}`;
  const known = view.memo.get(key) as { lines: number; files: number } | undefined;
  if (known) return known;
  const counted = view.index.select(undefined, ignore);
  let lines = 0;
  for (const i of counted) lines += view.facts.files[i]!.additions + view.facts.files[i]!.deletions;
  const result = { lines, files: counted.length };
  view.memo.set(key, result);
  return result;
}

export function checkSize(rule: NonNullable<Requirements["size"]>, ignore: readonly CompiledGlob[], view: PullRequestView): RequirementResult {
  const { lines, files } = totals(ignore, view);
  const limits: string[] = [];
  if (rule.max_lines !== undefined) limits.push(plural(rule.max_lines, "line"));
  if (rule.max_files !== undefined) limits.push(plural(rule.max_files, "file"));
  const agreed = `at most ${limits.join(" and ")}${ignore.length > 0 ? ` (not counting ${listOf(ignore.map((g) => code(g.source)))})` : ""}`;
  const over = (rule.max_lines !== undefined && lines > rule.max_lines) || (rule.max_files !== undefined && files > rule.max_files);
  const measured = `${plural(lines, "line")} across ${plural(files, "file")}`;
  if (over) {
    return unmet("size", `The change is ${measured}; the agreed size is ${agreed}.`, "Split it into smaller pull requests that each stand on their own, or ask for a waiver if it cannot be split.");
  }
  if (!view.filesComplete) {
    // Unlisted files can only add lines and files. Their number is known, their lines are not:
    // a pass is certain only for a file-count limit that even all of them would not pass.
    const unlisted = (view.facts.changedFileCount ?? view.facts.files.length) - view.facts.files.length;
    const certain = rule.max_lines === undefined && rule.max_files !== undefined && files + unlisted <= rule.max_files;
    if (!certain) return unknown("size", UNLISTED_FILES_NOTE(view), UNLISTED_FILES_HOW_TO);
    return met("size", `The change is at most ${plural(files + unlisted, "file")}, within the agreed ${agreed}.`);
  }
  return met("size", `The change is ${measured}, within the agreed ${agreed}.`);
}
