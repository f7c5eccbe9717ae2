/** One line that says what stands between the PR and green: the check run's title. */
import type { ConfigProblem } from "../agreement/parse.js";
import { listOf, plural } from "../engine/context.js";
import type { Evaluation, PendingApproval } from "../engine/result.js";
import { attentionOrder } from "./report-model.js";

export function pendingTeams(evaluation: Evaluation): PendingApproval[] {
  const byTeam = new Map<string, PendingApproval>();
  for (const agreement of evaluation.agreements) {
    if (agreement.outcome !== "waiting" || agreement.mode === "trial") continue;
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
  const many = pending.length > 1 || pending.some((p) => p.needed - p.have > 1);
  return `${many ? "reviews" : "a review"} from ${names}`;
}

export function headline(evaluation: Evaluation): string {
  const enforced = evaluation.agreements.filter((a) => a.mode === "enforce");
  const blocking = attentionOrder(enforced.filter((a) => a.severity === "required" && a.outcome !== "waiting"));
  const pending = pendingTeams(evaluation);
  const waived = evaluation.agreements.filter((a) => a.outcome === "waived").length;
  switch (evaluation.conclusion) {
    case "success":
      return waived > 0 ? `All agreements met (${waived} waived)` : "All agreements met";
    case "waiting":
      return `Waiting for ${reviewWords(pending)}`;
    case "neutral": {
      const advice = attentionOrder(enforced.filter((a) => a.severity === "advisory"));
      return `Met, with advice: ${listOf(advice.map((a) => a.title), 2)}`;
    }
    case "failure": {
      const names = listOf(blocking.map((a) => a.title), 2);
      const lead = blocking.length === 1 ? `Needs attention: ${names}` : `${blocking.length} agreements need attention: ${names}`;
      return pending.length > 0 ? `${lead}; then ${reviewWords(pending)}` : lead;
    }
  }
}

export function configHeadline(problems: readonly ConfigProblem[]): string {
  return `The agreement file needs a fix (${plural(problems.length, "problem")})`;
}
