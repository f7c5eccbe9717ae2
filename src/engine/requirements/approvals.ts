/** `approvals`: enough distinct members of each team approved (author excluded). Unmet is `waiting`. */
import type { ApprovalRule } from "../../agreement/schema.js";
import type { Review } from "../facts.js";
import type { PullRequestView } from "../context.js";
import { listOf, plural } from "../context.js";
import type { PendingApproval, RequirementResult } from "../result.js";

/** Logins (lower-case) whose current review is an approval: the latest non-comment review counts, dismissed ones never. */
export function currentApprovers(reviews: readonly Review[]): Set<string> {
  const ordered = reviews.some((review) => review.submittedAt)
    ? [...reviews].sort((a, b) => (a.submittedAt ?? "").localeCompare(b.submittedAt ?? ""))
    : reviews;
  const latest = new Map<string, Review["state"]>();
  for (const review of ordered) {
    if (review.state === "COMMENTED" || review.state === "PENDING") continue;
    latest.set(review.reviewer.toLowerCase(), review.state);
  }
  return new Set([...latest].filter(([, state]) => state === "APPROVED").map(([login]) => login));
}

export function checkApprovals(rules: readonly ApprovalRule[], view: PullRequestView, approvers: Set<string>): RequirementResult {
  const pending: PendingApproval[] = [];
  const got: string[] = [];
  for (const rule of rules) {
    const teamName = view.teamName(rule.team);
    const members = [...approvers].filter((login) => login !== view.author && view.isMember(login, rule.team));
    if (members.length >= rule.count) got.push(`${teamName} (${members.map((login) => `@${login}`).join(", ")})`);
    else pending.push({ team: rule.team, teamName, needed: rule.count, have: members.length });
  }
  if (pending.length === 0) {
    return { kind: "approvals", outcome: "pass", message: `Approved by ${listOf(got, 10)}.`, files: [], annotations: [] };
  }
  const missing = pending.map((p) => `${p.needed - p.have === 1 && p.needed === 1 ? "an approval" : plural(p.needed - p.have, "more approval")} from ${p.teamName}${p.needed > 1 ? ` (${p.have} of ${p.needed} so far)` : ""}`);
  return {
    kind: "approvals",
    outcome: "waiting",
    message: `Waiting for ${listOf(missing, 10)}.`,
    howTo: `Ask ${listOf(pending.map((p) => `someone in ${p.teamName}`), 10)} for a review.`,
    files: [],
    annotations: [],
    pending,
  };
}
