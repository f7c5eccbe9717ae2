/** One line that says what stands between the PR and green: the check run's title. */
import type { ConfigProblem } from "../agreement/parse.js";
import { listOf, plural } from "../engine/context.js";
import type { Evaluation, PendingApproval } from "../engine/result.js";
import { attentionOrder } from "./report-model.js";

/** The teams whose approvals enforced agreements still wait for (only required ones, when `requiredOnly`). */
export function pendingTeams(evaluation: Evaluation, requiredOnly = false): PendingApproval[] {
  const byTeam = new Map<string, PendingApproval>();
  for (const agreement of evaluation.agreements) {
    if (agreement.outcome !== "waiting" || agreement.mode === "trial") continue;
    if (requiredOnly && agreement.severity !== "required") continue;
    for (const requirement of agreement.requirements) {
      for (const pending of requirement.pending ?? []) {
        const known = byTeam.get(pending.team);
        if (!known || pending.needed - pending.have > known.needed - known.have) byTeam.set(pending.team, pending);
      }
    }
  }
  return [...byTeam.values()];
}

function reviewWords(pending: PendingApproval[]): string {
  const names = listOf(pending.map((p) => p.teamName));
  if (pending.length === 1) {
    const missing = pending[0]!.needed - pending[0]!.have;
    return `${missing > 1 ? `${missing} reviews` : "a review"} from ${names}`;
  }
  return `reviews from ${names}`;
}

export function headline(evaluation: Evaluation): string {
  const enforced = evaluation.agreements.filter((a) => a.mode === "enforce");
  const blocking = attentionOrder(enforced.filter((a) => a.severity === "required" && a.outcome !== "waiting"));
  // Only what blocks: an advisory agreement's reviews are advice, not something the PR waits for.
  const pending = pendingTeams(evaluation, true);
  const waived = evaluation.agreements.filter((a) => a.outcome === "waived").length;
  switch (evaluation.conclusion) {
    case "success":
      return waived > 0 ? `All agreements met (${waived} waived)` : "All agreements met";
    case "waiting":
      return pending.length > 0 ? `Waiting for ${reviewWords(pending)}` : "Waiting for reviews";
    case "neutral": {
      const advice = attentionOrder(enforced.filter((a) => a.severity === "advisory"));
      return `Met, with advice: ${listOf(advice.map((a) => a.title), 2)}`;
    }
    case "failure": {
      const names = listOf(blocking.map((a) => a.title), 2);
      // An agreement that could not be checked is not something the author did; say so.
      const verb = blocking.every((a) => a.outcome === "error") ? "could not be checked" : "need attention";
      const lead = blocking.length === 1 ? `${verb === "need attention" ? "Needs attention" : "Could not be checked"}: ${names}` : `${blocking.length} agreements ${verb}: ${names}`;
      return pending.length > 0 ? `${lead}; then ${reviewWords(pending)}` : lead;
    }
  }
}

export function configHeadline(problems: readonly ConfigProblem[]): string {
  return `The agreement file needs a fix (${plural(problems.length, "problem")})`;
}
