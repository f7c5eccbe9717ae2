/** `approvals`: enough distinct members of each team approved (author excluded). Unmet is `waiting`. */
import type { ApprovalRule } from "../../agreement/schema.js";
import type { Review } from "../facts.js";
import type { PullRequestView } from "../context.js";
import { listOf, plural } from "../context.js";
import type { PendingApproval, RequirementResult } from "../result.js";

/** A reviewer whose current review approves. */
export interface CurrentApproval {
  /** The login as the review gives it (the map's key is the lower-case login). */
  reviewer: string;
  /** The commit the approval was given on, when known. */
  commitSha?: string;
}

/**
 * Current approvals by lower-case login: a reviewer's latest non-comment review is their
 * current one, and it counts when it approves; dismissed reviews never count.
 */
export function currentApprovals(reviews: readonly Review[]): Map<string, CurrentApproval> {
  const ordered = reviews.some((review) => review.submittedAt)
    ? [...reviews].sort((a, b) => (a.submittedAt ?? "").localeCompare(b.submittedAt ?? ""))
    : reviews;
  const latest = new Map<string, Review>();
  for (const review of ordered) {
    if (review.state === "COMMENTED" || review.state === "PENDING") continue;
    latest.set(review.reviewer.toLowerCase(), review);
  }
  const approvals = new Map<string, CurrentApproval>();
  for (const [login, review] of latest) {
    if (review.state === "APPROVED") approvals.set(login, { reviewer: review.reviewer, ...(review.commitSha !== undefined ? { commitSha: review.commitSha } : {}) });
  }
  return approvals;
}

/** Logins (lower-case) whose current review is an approval, on whatever commit it was given. */
export function currentApprovers(reviews: readonly Review[]): Set<string> {
  return new Set(currentApprovals(reviews).keys());
}

/**
 * Whether an approval is stale for a rule: the rule has `stale_on_push` and the approval was
 * given on a commit other than the head judged. When either commit is unknown (an adapter that
 * does not say, or `accord check --approved-by`, whose approvals have no commit), the approval
 * is taken as current: Accord does not invent staleness it cannot see.
 */
function isStale(rule: ApprovalRule, approval: CurrentApproval, headSha: string | undefined): boolean {
  if (!rule.stale_on_push || headSha === undefined || approval.commitSha === undefined) return false;
  return approval.commitSha.toLowerCase() !== headSha.toLowerCase();
}

const orList = (items: readonly string[]): string => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`);

const UNCOUNTED_SHOWN = 10;

export function checkApprovals(rules: readonly ApprovalRule[], view: PullRequestView, approvals: ReadonlyMap<string, CurrentApproval>): RequirementResult {
  const pending: PendingApproval[] = [];
  const got: string[] = [];
  /** Logins whose approval counted for some entry. */
  const counted = new Set<string>();
  /** Logins whose approval went stale for a team still needed. */
  const stale = new Set<string>();
  for (const rule of rules) {
    const teamName = view.teamName(rule.team);
    const members: string[] = [];
    const staleHere: string[] = [];
    for (const [login, approval] of approvals) {
      if (login === view.author || !view.isMember(login, rule.team)) continue;
      if (isStale(rule, approval, view.facts.headSha)) staleHere.push(login);
      else members.push(login);
    }
    for (const login of members) counted.add(login);
    if (members.length >= rule.count) {
      got.push(`${teamName} (${members.map((login) => `@${approvals.get(login)!.reviewer}`).join(", ")})`);
      continue;
    }
    pending.push({ team: rule.team, teamName, needed: rule.count, have: members.length });
    for (const login of staleHere) stale.add(login);
  }
  if (pending.length === 0) {
    return { kind: "approvals", outcome: "pass", message: `Approved by ${listOf(got, 10)}.`, files: [], annotations: [] };
  }
  const missing = pending.map((p) => `${p.needed - p.have === 1 && p.needed === 1 ? "an approval" : plural(p.needed - p.have, "more approval")} from ${p.teamName}${p.needed > 1 ? ` (${p.have} of ${p.needed} so far)` : ""}`);
  const uncounted = uncountedApprovals(view, approvals, pending, counted, stale);
  const staleNames = [...stale.keys()].map((login) => `@${approvals.get(login)!.reviewer}`);
  return {
    kind: "approvals",
    outcome: "waiting",
    message: `Waiting for ${listOf(missing, 10)}.${uncounted}`,
    howTo:
      `Ask ${listOf(pending.map((p) => `someone in ${p.teamName}`), 10)} for a review.` +
      (staleNames.length > 0 ? ` ${listOf(staleNames, 10)} can approve again, on the latest commit.` : ""),
    files: [],
    annotations: [],
    pending,
  };
}

/**
 * The approvals that did not count towards the teams still needed, and why, as a sentence that
 * follows "Waiting for …" (empty when there are none): given before the latest push on an entry
 * with `stale_on_push`, the author's own, or from someone in none of those teams. An approval
 * that counted for another entry is not named, except when it went stale for a team still needed.
 */
function uncountedApprovals(
  view: PullRequestView,
  approvals: ReadonlyMap<string, CurrentApproval>,
  pending: readonly PendingApproval[],
  counted: ReadonlySet<string>,
  stale: ReadonlySet<string>,
): string {
  const reasons: string[] = [];
  const name = (login: string) => `@${approvals.get(login)!.reviewer}`;
  for (const login of stale.keys()) reasons.push(`${name(login)} approved before the latest push (stale_on_push)`);
  if (approvals.has(view.author)) reasons.push(`${name(view.author)} wrote this pull request`);
  const outsiders = [...approvals.keys()].filter((login) => login !== view.author && !counted.has(login) && !stale.has(login));
  const teams = orList(pending.map((p) => p.teamName));
  for (const login of outsiders) reasons.push(`${name(login)} is not in ${teams}`);
  if (reasons.length === 0) return "";
  const shown = reasons.slice(0, UNCOUNTED_SHOWN);
  const rest = reasons.length - shown.length;
  const list = `${shown.join("; ")}${rest > 0 ? `; and ${plural(rest, "more approval")}` : ""}`;
  return reasons.length === 1 ? ` An approval did not count: ${list}.` : ` Approvals that did not count: ${list}.`;
}
