/** `companions`: for each glob, some changed file that is not removed matches it. */
import type { CompiledGlob } from "../globs.js";
import type { PullRequestView } from "../context.js";
import { UNLISTED_FILES_HOW_TO, UNLISTED_FILES_NOTE, code, listOf } from "../context.js";
import { isPresentAtHead } from "../facts.js";
import type { RequirementResult } from "../result.js";
import { met, unknown, unmet } from "./result.js";

export function checkCompanions(companions: readonly CompiledGlob[], view: PullRequestView): RequirementResult {
  // A companion is a file the PR leaves in place: its path at the head counts, not the path a rename moved it from.
  const missing = companions.filter((glob) => !view.index.filesWithCurrentPathMatching(glob).some((i) => isPresentAtHead(view.facts.files[i]!)));
  if (missing.length === 0) return met("companions", `The agreed companion files are part of the change (${listOf(companions.map((g) => code(g.source)))}).`);
  if (!view.filesComplete) return unknown("companions", UNLISTED_FILES_NOTE(view), UNLISTED_FILES_HOW_TO);
  const names = listOf(missing.map((g) => code(g.source)));
  return unmet(
    "companions",
    `The teams agreed that changes like these come with an added or updated file matching ${names}; none is in this PR yet.`,
    `Add or update a file matching ${names} in this PR.`,
  );
}
