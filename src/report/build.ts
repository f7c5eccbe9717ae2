/**
 * Builds the friction report from the rows the store returns (pure: same rows, same report).
 * The suggestions say what the data shows and what the teams might discuss, never who is at fault.
 */
import { IMPLICIT_AMENDMENT_ID } from "../agreement/schema.js";
import type { AgreementAggregate, ReportData } from "../store/types.js";
import { duration, listOf, percent, prRefs, prs } from "./format.js";
import type { AgreementHealth, FrictionReport, PathFriction, Suggestion, TeamHealth, TrendDirection, WaiverReason } from "./model.js";
import { median, normalizeReason, percentile, wilsonLowerBound } from "./stats.js";

const DAY = 86_400_000;

/** Thresholds of the suggestions (docs/report.md explains each). */
export const THRESHOLDS = {
  /** Often waived: at least this many PRs where the agreement was not met… */
  oftenWaivedMinUnmet: 10,
  /** …and a Wilson 95% lower bound of the waived share above this. */
  oftenWaivedLowerBound: 0.3,
  /** The same reason (ignoring case and punctuation) on at least this many PRs. */
  repeatedReasonMin: 3,
  /** Cross-team waits: at least this many reviewed PRs, a median of at least this long, at most this many teams. */
  longWaitMinReviewed: 3,
  longWaitMinSeconds: 4 * 3600,
  longWaitTeams: 3,
  /** Retire: not unmet for this many days, and recorded at least that long. */
  retireDays: 90,
  /** A change in the unmet share smaller than this reads as steady. */
  steadyShare: 0.05,
} as const;

function trendOf(current: AgreementAggregate | undefined, previous: AgreementAggregate | undefined): AgreementHealth["trend"] {
  const share = current && current.pullRequests > 0 ? current.unmetPullRequests / current.pullRequests : null;
  const previousShare = previous && previous.pullRequests > 0 ? previous.unmetPullRequests / previous.pullRequests : null;
  let direction: TrendDirection;
  if (share === null) direction = "quiet";
  else if (previousShare === null) direction = "new";
  else if (Math.abs(share - previousShare) < THRESHOLDS.steadyShare) direction = "steady";
  else direction = share > previousShare ? "more-often" : "less-often";
  return {
    direction,
    previousPullRequests: previous?.pullRequests ?? 0,
    previousUnmetPullRequests: previous?.unmetPullRequests ?? 0,
    previousUnmetShare: previousShare,
  };
}

function groupWaivers(data: ReportData): Map<string, WaiverReason[]> {
  const byAgreement = new Map<string, Map<string, WaiverReason>>();
  for (const waiver of data.waivers) {
    let reasons = byAgreement.get(waiver.agreementId);
    if (!reasons) byAgreement.set(waiver.agreementId, (reasons = new Map()));
    const key = normalizeReason(waiver.reason) || waiver.reason;
    let entry = reasons.get(key);
    if (!entry) reasons.set(key, (entry = { reason: waiver.reason.trim(), pullRequests: [], by: [] }));
    if (!entry.pullRequests.includes(waiver.number)) {
      entry.pullRequests.push(waiver.number);
      entry.pullRequests.sort((a, b) => a - b);
    }
    if (!entry.by.includes(waiver.by)) entry.by.push(waiver.by);
  }
  return new Map(
    [...byAgreement].map(([id, reasons]) => [id, [...reasons.values()].sort((a, b) => b.pullRequests.length - a.pullRequests.length || a.reason.localeCompare(b.reason))]),
  );
}

function agreementsOf(data: ReportData, since: number): AgreementHealth[] {
  const current = new Map(data.agreements.map((a) => [a.agreementId, a]));
  const previous = new Map(data.previousAgreements.map((a) => [a.agreementId, a]));
  const info = new Map(data.agreementInfo.map((a) => [a.agreementId, a]));
  const waivers = groupWaivers(data);
  // Agreements that applied in the window, or were still being evaluated in it (even if they never applied).
  const ids = new Set([...current.keys(), ...data.agreementInfo.filter((a) => Date.parse(a.lastSeenAt) >= since).map((a) => a.agreementId), ...waivers.keys()]);
  const list: AgreementHealth[] = [];
  for (const id of ids) {
    const c = current.get(id);
    const i = info.get(id);
    const health: AgreementHealth = {
      id,
      title: i?.title ?? id,
      severity: i?.severity ?? "required",
      mode: i?.mode ?? "enforce",
      pullRequests: c?.pullRequests ?? 0,
      evaluations: c?.evaluations ?? 0,
      unmetPullRequests: c?.unmetPullRequests ?? 0,
      unmetShare: c && c.pullRequests > 0 ? c.unmetPullRequests / c.pullRequests : null,
      failedPullRequests: c?.failedPullRequests ?? 0,
      heldPullRequests: c?.heldPullRequests ?? 0,
      waivedPullRequests: c?.waivedPullRequests ?? 0,
      waivers: waivers.get(id) ?? [],
      medianSecondsToMet: median(data.unmetToMetSeconds[id] ?? []),
      metAfterUnmet: c?.metAfterUnmet ?? 0,
      trend: trendOf(c, previous.get(id)),
    };
    if (health.mode === "trial") {
      health.wouldHaveBlocked = c?.trialBlockedPullRequests ?? 0;
      health.wouldHaveHeld = c?.trialHeldPullRequests ?? 0;
    }
    list.push(health);
  }
  return list.sort((a, b) => b.unmetPullRequests - a.unmetPullRequests || b.pullRequests - a.pullRequests || a.id.localeCompare(b.id));
}

function teamsOf(data: ReportData, until: number): TeamHealth[] {
  interface Acc {
    waits: number[];
    crossWaits: number[];
    stillWaiting: number;
    crossStill: number;
    longestOpen: number | null;
    neededBy: Map<string, number>;
  }
  const byTeam = new Map<string, Acc>();
  const acc = (team: string) => {
    let a = byTeam.get(team);
    if (!a) byTeam.set(team, (a = { waits: [], crossWaits: [], stillWaiting: 0, crossStill: 0, longestOpen: null, neededBy: new Map() }));
    return a;
  };
  for (const row of data.teamReviews) {
    const a = acc(row.team);
    a.waits.push(row.seconds);
    if (row.crossTeam) a.crossWaits.push(row.seconds);
  }
  for (const row of data.teamOpen) {
    if (row.closed) continue;
    const a = acc(row.team);
    a.stillWaiting += 1;
    if (row.crossTeam) a.crossStill += 1;
    const open = Math.max(0, (until - Date.parse(row.startedAt)) / 1000);
    a.longestOpen = a.longestOpen === null ? open : Math.max(a.longestOpen, open);
  }
  for (const row of data.teamNeeds) {
    const a = acc(row.team);
    for (const id of row.agreements) a.neededBy.set(id, (a.neededBy.get(id) ?? 0) + row.pullRequests);
  }
  const teams: TeamHealth[] = [];
  for (const [team, a] of byTeam) {
    if (a.waits.length === 0 && a.stillWaiting === 0) continue;
    const sorted = [...a.waits].sort((x, y) => x - y);
    teams.push({
      team,
      name: data.teamNames[team] ?? team,
      reviewed: sorted.length,
      medianSecondsToFirstReview: median(sorted),
      p90SecondsToFirstReview: percentile(sorted, 90),
      longestSecondsToFirstReview: sorted.length > 0 ? sorted[sorted.length - 1]! : null,
      stillWaiting: a.stillWaiting,
      longestOpenWaitSeconds: a.longestOpen,
      crossTeam: { reviewed: a.crossWaits.length, medianSecondsToFirstReview: median(a.crossWaits), stillWaiting: a.crossStill },
      neededBy: [...a.neededBy].map(([id, pullRequests]) => ({ id, pullRequests })).sort((x, y) => y.pullRequests - x.pullRequests || x.id.localeCompare(y.id)),
    });
  }
  return teams.sort((x, y) => (y.medianSecondsToFirstReview ?? -1) - (x.medianSecondsToFirstReview ?? -1) || x.team.localeCompare(y.team));
}

function suggestionsOf(data: ReportData, agreements: AgreementHealth[], teams: TeamHealth[], since: number, until: number, days: number): Suggestion[] {
  const suggestions: Suggestion[] = [];
  const windowWords = `the last ${days} days`;

  for (const a of agreements) {
    const n = a.unmetPullRequests;
    const k = a.waivedPullRequests;
    if (n < THRESHOLDS.oftenWaivedMinUnmet) continue;
    const lower = wilsonLowerBound(k, n);
    if (lower <= THRESHOLDS.oftenWaivedLowerBound) continue;
    const reasons = a.waivers.slice(0, 3).map((w) => `“${w.reason}” (${prs(w.pullRequests.length)})`);
    suggestions.push({
      kind: "often-waived",
      agreementId: a.id,
      headline: `\`${a.id}\` was waived on ${k} of the ${n} pull requests where it was not met.`,
      evidence: [
        `Waived on ${percent(k / n)} of the pull requests where it was not met in ${windowWords}; with 95% confidence the share is at least ${percent(lower)} (Wilson lower bound).`,
        `It applied to ${prs(a.pullRequests)} over ${a.evaluations.toLocaleString("en")} evaluations.`,
        ...(reasons.length > 0 ? [`Most given reasons: ${listOf(reasons, 3)}.`] : []),
      ],
      discuss: "When an agreement is waived this often, the cases it covers may be wider than the teams meant. Is there a kind of change it should not apply to (a path, a label, a base branch), or is the requirement itself asking too much?",
      figures: { unmetPullRequests: n, waivedPullRequests: k, waivedShare: k / n, wilsonLowerBound95: lower, evaluations: a.evaluations },
    });
  }

  for (const a of agreements) {
    const repeated = a.waivers.filter((reason) => reason.pullRequests.length >= THRESHOLDS.repeatedReasonMin);
    if (repeated.length === 0) continue;
    const [top] = repeated;
    suggestions.push({
      kind: "repeated-reason",
      agreementId: a.id,
      headline:
        repeated.length === 1
          ? `The same reason to waive \`${a.id}\` came up on ${prs(top!.pullRequests.length)}: “${top!.reason}”.`
          : `${repeated.length} reasons to waive \`${a.id}\` keep coming back, most often “${top!.reason}” (${prs(top!.pullRequests.length)}).`,
      evidence: repeated.map((reason) => `“${reason.reason}” on ${prRefs(reason.pullRequests)} in ${windowWords}.`),
      discuss: "A reason that keeps coming back usually names a case the agreement did not foresee. The teams could write that case into the agreement (for example a `not_labels` or `paths_ignore` exception) so nobody has to ask each time.",
      figures: { reasons: repeated.length, pullRequests: top!.pullRequests.length, reason: top!.reason },
    });
  }

  const slow = teams
    .filter((t) => t.crossTeam.reviewed >= THRESHOLDS.longWaitMinReviewed && (t.crossTeam.medianSecondsToFirstReview ?? 0) >= THRESHOLDS.longWaitMinSeconds)
    .sort((a, b) => b.crossTeam.medianSecondsToFirstReview! - a.crossTeam.medianSecondsToFirstReview!)
    .slice(0, THRESHOLDS.longWaitTeams);
  for (const t of slow) {
    const neededBy = t.neededBy.slice(0, 3).map((n) => `\`${n.id}\` (${prs(n.pullRequests)})`);
    suggestions.push({
      kind: "long-wait",
      team: t.team,
      headline: `Pull requests from other teams waited a median ${duration(t.crossTeam.medianSecondsToFirstReview)} for a first review from ${t.name}.`,
      evidence: [
        `${prs(t.crossTeam.reviewed)} from outside ${t.name} got a first review after a median ${duration(t.crossTeam.medianSecondsToFirstReview)} (all PRs: median ${duration(t.medianSecondsToFirstReview)}, 90th percentile ${duration(t.p90SecondsToFirstReview)}).`,
        ...(t.crossTeam.stillWaiting > 0 ? [`${prs(t.crossTeam.stillWaiting)} from other teams ${t.crossTeam.stillWaiting === 1 ? "is" : "are"} still waiting.`] : []),
        ...(neededBy.length > 0 ? [`The review was asked for by ${listOf(neededBy, 3)}.`] : []),
      ],
      discuss: `Long waits usually mean the ask arrives at a busy time or lands on few people. The teams might discuss how many reviews ${t.name} can take on, a review rotation, or whether every change in scope needs ${t.name}'s eyes (a narrower \`paths\`, or \`advisory\` for small changes).`,
      figures: {
        crossTeamReviewed: t.crossTeam.reviewed,
        crossTeamMedianSeconds: t.crossTeam.medianSecondsToFirstReview,
        medianSeconds: t.medianSecondsToFirstReview,
        p90Seconds: t.p90SecondsToFirstReview,
        stillWaiting: t.crossTeam.stillWaiting,
      },
    });
  }

  for (const a of agreements) {
    if (a.mode !== "trial" || a.pullRequests === 0) continue;
    const blocked = a.wouldHaveBlocked ?? 0;
    const held = a.wouldHaveHeld ?? 0;
    const cost =
      a.severity === "advisory"
        ? `As an advisory agreement it would not have blocked anything; it was not met on ${a.unmetPullRequests} of them.`
        : `Enforced, it would have failed the check on ${prs(blocked)}${held > 0 ? ` and kept ${prs(held)} waiting for reviews` : ""}.`;
    suggestions.push({
      kind: "trial",
      agreementId: a.id,
      headline:
        a.severity === "advisory"
          ? `Trial \`${a.id}\` was not met on ${a.unmetPullRequests} of the ${prs(a.pullRequests)} it applied to; as advisory it would only have advised.`
          : `If enforced, trial \`${a.id}\` would have blocked ${blocked} of the ${prs(a.pullRequests)} it applied to${held > 0 ? ` and held ${held} for reviews` : ""}.`,
      evidence: [`It applied to ${prs(a.pullRequests)} in ${windowWords}. ${cost}`],
      discuss:
        blocked + held === 0
          ? "It has been met every time it applied. If the teams are happy with it, it can move to `mode: enforce` at little cost."
          : "Is that the cost the teams expected? If yes, switch it to `mode: enforce`; if not, adjust it while it is still a trial.",
      figures: { pullRequests: a.pullRequests, wouldHaveBlocked: blocked, wouldHaveHeld: held, severity: a.severity },
    });
  }

  const retireSince = until - THRESHOLDS.retireDays * DAY;
  for (const info of data.agreementInfo) {
    if (info.agreementId === IMPLICIT_AMENDMENT_ID) continue;
    if (Date.parse(info.lastSeenAt) < since) continue; // no longer in the file
    if (Date.parse(info.firstSeenAt) > retireSince) continue; // too new to tell
    if (info.lastUnmetAt !== null && Date.parse(info.lastUnmetAt) >= retireSince) continue;
    const applied = data.inScopeLast90Days[info.agreementId] ?? 0;
    suggestions.push({
      kind: "retire",
      agreementId: info.agreementId,
      headline:
        applied > 0
          ? `\`${info.agreementId}\` was met on all ${prs(applied)} it applied to in ${THRESHOLDS.retireDays} days.`
          : `\`${info.agreementId}\` did not apply to any pull request in ${THRESHOLDS.retireDays} days.`,
      evidence: [
        applied > 0
          ? `Met every time it applied since ${info.lastUnmetAt ? info.lastUnmetAt.slice(0, 10) : "it was first recorded"} (${prs(applied)} in the last ${THRESHOLDS.retireDays} days).`
          : `Its conditions matched no pull request since ${info.lastAppliedAt ? info.lastAppliedAt.slice(0, 10) : "it was first recorded"}.`,
      ],
      discuss:
        applied > 0
          ? "It may have done its job: the habit it asked for is now simply how the teams work. The teams could retire it, or keep it as a safety net on purpose."
          : "Its `when` may no longer match how the repository is laid out (a moved directory, a renamed branch or label). The teams could update its conditions, or retire it.",
      figures: { pullRequestsIn90Days: applied, lastUnmetAt: info.lastUnmetAt, firstSeenAt: info.firstSeenAt },
    });
  }
  return suggestions;
}

export function buildReport(data: ReportData): FrictionReport {
  const since = Date.parse(data.window.since);
  const until = Date.parse(data.window.until);
  const days = Math.max(1, Math.round((until - since) / DAY));
  const agreements = agreementsOf(data, since);
  const teams = teamsOf(data, until);
  const paths: PathFriction[] = data.paths.map((p) => ({ ...p }));
  return {
    repo: data.repo,
    window: { ...data.window, days },
    previousWindow: data.previousWindow,
    pullRequests: data.pullRequests,
    evaluations: data.evaluations,
    agreements,
    teams,
    paths,
    suggestions: suggestionsOf(data, agreements, teams, since, until, days),
  };
}
