/** `forbidden`: no added, modified or renamed-to file matches. Removing one is fine. */
import { intersectSorted, type CompiledGlob } from "../globs.js";
import type { AgreementScope } from "../context.js";
import { UNLISTED_FILES_HOW_TO, UNLISTED_FILES_NOTE, code, listOf, plural } from "../context.js";
import { isPresentAtHead } from "../facts.js";
import type { RequirementResult } from "../result.js";
import { met, unknown, unmet } from "./result.js";

export function checkForbidden(forbidden: readonly CompiledGlob[], { view, indices }: AgreementScope): RequirementResult {
  const offenders: { path: string; glob: string }[] = [];
  // The index finds candidates (new or old path); only the new path of a file still present counts.
  for (const i of intersectSorted(view.index.filesMatchingAny(forbidden), indices)) {
    const file = view.facts.files[i]!;
    if (!isPresentAtHead(file)) continue;
    const glob = forbidden.find((g) => g.matches(file.path));
    if (glob) offenders.push({ path: file.path, glob: glob.source });
  }
  const agreed = listOf(forbidden.map((g) => code(g.source)));
  if (offenders.length === 0) {
    if (!view.filesComplete) return unknown("forbidden", UNLISTED_FILES_NOTE(view), UNLISTED_FILES_HOW_TO);
    return met("forbidden", `No file matches what was agreed to stay out of the repository (${agreed}).`);
  }
  return unmet(
    "forbidden",
    `${plural(offenders.length, "file")} ${offenders.length === 1 ? "matches" : "match"} what was agreed to stay out of the repository (${agreed}): ${listOf(offenders.map((o) => code(o.path)))}.`,
    `Remove ${offenders.length === 1 ? "it" : "them"} from this PR (\`git rm --cached <file>\` keeps your local copy) and keep ${offenders.length === 1 ? "it" : "them"} where the teams agreed, such as a model registry or object storage.`,
    offenders.map((o) => ({
      path: o.path,
      title: "Agreed to stay out of the repository",
      message: `This file matches ${code(o.glob)}, which the teams agreed to keep out of the repository. Remove it from the PR and store it where the teams agreed.`,
    })),
  );
}
