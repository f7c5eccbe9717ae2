/** `companions`: for each glob, some changed file that is not removed matches it. */
import type { CompiledGlob } from "../globs.js";
import type { PullRequestView } from "../context.js";
import { UNLISTED_FILES_NOTE, code, listOf } from "../context.js";
import { isPresentAtHead } from "../facts.js";
import type { RequirementResult } from "../result.js";
import { met, unknown, unmet } from "./result.js";

export function checkCompanions(companions: readonly CompiledGlob[], view: PullRequestView): RequirementResult {
  const missing = companions.filter((glob) => !view.index.filesMatching(glob).some((i) => isPresentAtHead(view.facts.files[i]!)));
  if (missing.length === 0) return met("companions", `The agreed companion files are part of the change (${listOf(companions.map((g) => code(g.source)))}).`);
  if (!view.filesComplete) return unknown("companions", UNLISTED_FILES_NOTE(view), "Split the PR so GitHub can list every changed file.");
  const names = listOf(missing.map((g) => code(g.source)));
  return unmet(
    "companions",
    `Changes like these come with a file matching ${names}, and none is in this PR yet.`,
    `Add or update a file matching ${names} in this PR.`,
  );
}
