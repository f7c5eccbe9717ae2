/** `when`: does an agreement apply to this pull request, and which changed files does it look at (SPEC §1.1)? */
import type { People } from "../agreement/schema.js";
import type { CompiledAgreement } from "./compile.js";
import type { ChangedFile } from "./facts.js";
import type { PullRequestView } from "./context.js";
import { matchesAny } from "./globs.js";

export type Applicability =
  | { applies: true; scope: readonly ChangedFile[]; scopeIndices: readonly number[] }
  | { applies: false; reason: string }
  /** The answer hangs on files GitHub did not list. */
  | { applies: "unknown"; reason: string };

function isOneOf(view: PullRequestView, people: People): boolean {
  return (
    people.users.some((user) => user.toLowerCase() === view.author) ||
    people.teams.some((team) => view.isMember(view.author, team))
  );
}

/** Scope files: not ignored, and matching `paths` when given. Renamed files count under both paths. */
function scopeOf(agreement: CompiledAgreement, view: PullRequestView): readonly number[] {
  return view.index.select(agreement.paths, agreement.pathsIgnore);
}

export function applicability(agreement: CompiledAgreement, view: PullRequestView): Applicability {
  const when = agreement.agreement.when;
  const { facts } = view;
  if (agreement.baseBranches && !matchesAny(facts.baseBranch, agreement.baseBranches)) {
    return { applies: false, reason: `the base branch ${facts.baseBranch} is not one of ${agreement.baseBranches.map((g) => g.source).join(", ")}` };
  }
  if (when?.authors && !isOneOf(view, when.authors)) return { applies: false, reason: `@${facts.author} is not among the authors it covers` };
  if (when?.not_authors && isOneOf(view, when.not_authors)) return { applies: false, reason: `PRs by @${facts.author} are left out of it` };
  const labels = new Set(facts.labels.map((label) => label.toLowerCase()));
  if (when?.labels && !when.labels.some((label) => labels.has(label.toLowerCase()))) {
    return { applies: false, reason: `the PR has none of the labels ${when.labels.join(", ")}` };
  }
  if (when?.not_labels) {
    const present = when.not_labels.find((label) => labels.has(label.toLowerCase()));
    if (present) return { applies: false, reason: `the PR is labelled ${present}` };
  }
  const scopeIndices = scopeOf(agreement, view);
  const pathConditional = agreement.paths !== undefined || agreement.pathsIgnore !== undefined;
  if (pathConditional && scopeIndices.length === 0) {
    if (!view.filesComplete) return { applies: "unknown", reason: "whether it applies depends on changed files GitHub did not list" };
    return { applies: false, reason: "no changed file is in its paths" };
  }
  return { applies: true, scopeIndices, scope: scopeIndices.map((i) => facts.files[i]!) };
}
