/** The report builder and renderers over hand-made store rows (pure: no database). */
import { describe, expect, it } from "vitest";
import { buildReport, median, mermaidChart, normalizeReason, parseSince, percentile, renderReport, wilsonLowerBound } from "../../src/report/index.js";
import { duration } from "../../src/report/format.js";
import { emptyReportData, type AgreementAggregate, type ReportData } from "../../src/store/types.js";

const NOW = Date.parse("2026-03-01T00:00:00Z");
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

function aggregate(agreementId: string, over: Partial<AgreementAggregate> = {}): AgreementAggregate {
  return {
    agreementId,
    pullRequests: 0,
    evaluations: 0,
    unmetEvaluations: 0,
    unmetPullRequests: 0,
    waivedPullRequests: 0,
    failedPullRequests: 0,
    heldPullRequests: 0,
    trialBlockedPullRequests: 0,
    trialHeldPullRequests: 0,
    metAfterUnmet: 0,
    ...over,
  };
}

function info(agreementId: string, over: Partial<ReportData["agreementInfo"][number]> = {}): ReportData["agreementInfo"][number] {
  return {
    agreementId,
    title: `Title of ${agreementId}`,
    severity: "required",
    mode: "enforce",
    firstSeenAt: iso(NOW - 200 * DAY),
    lastSeenAt: iso(NOW - DAY),
    lastAppliedAt: iso(NOW - DAY),
    lastUnmetAt: iso(NOW - 2 * DAY),
    ...over,
  };
}

function data(over: Partial<ReportData> = {}): ReportData {
  return {
    ...emptyReportData("acme/ml", { since: iso(NOW - 30 * DAY), until: iso(NOW) }, { since: iso(NOW - 60 * DAY), until: iso(NOW - 30 * DAY) }),
    ...over,
  };
}

const waiver = (agreementId: string, number: number, reason: string, by = "carol") => ({ agreementId, number, by, reason, at: iso(NOW - 3 * DAY) });

describe("statistics", () => {
  it("medians, percentiles and the Wilson lower bound match known values", () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    // 9 of 12: Wilson 95% interval (0.468, 0.911).
    expect(wilsonLowerBound(9, 12)).toBeCloseTo(0.4677, 3);
    expect(wilsonLowerBound(10, 10)).toBeCloseTo(0.7225, 3);
    expect(wilsonLowerBound(0, 10)).toBe(0);
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });

  it("compares waiver reasons without case, punctuation or spacing", () => {
    expect(normalizeReason("Hotfix: model needed NOW.")).toBe(normalizeReason("  hotfix -  model needed now"));
    expect(normalizeReason("see #12")).toBe("see #12");
  });

  it("says durations in friendly units", () => {
    expect([duration(null), duration(30), duration(600), duration(5 * 3600), duration(30 * 3600), duration(3.5 * 86400), duration(12 * 86400)]).toEqual([
      "–",
      "under a minute",
      "10 min",
      "5 h",
      "30 h",
      "3.5 days",
      "12 days",
    ]);
  });
});

describe("--since", () => {
  it("reads days, weeks and dates, ending now", () => {
    expect(parseSince(undefined, NOW)).toEqual({ since: new Date(NOW - 30 * DAY), until: new Date(NOW) });
    expect(parseSince("12w", NOW)).toEqual({ since: new Date(NOW - 84 * DAY), until: new Date(NOW) });
    expect(parseSince("2026-01-01", NOW)).toEqual({ since: new Date("2026-01-01T00:00:00Z"), until: new Date(NOW) });
  });

  it("explains what it cannot read", () => {
    for (const [text, problem] of [
      ["0d", /at least one day/],
      ["9999d", /ten years/],
      ["2026-02-30", /not a calendar date/],
      ["2026-03-02", /not in the past/],
      ["month", /days \(30d\), weeks \(12w\) or a date/],
    ] as const) {
      expect(parseSince(text, NOW)).toEqual({ problem: expect.stringMatching(problem) });
    }
  });
});

describe("buildReport", () => {
  it("suggests an often-waived agreement only when the Wilson lower bound clears 30% with at least 10 unmet PRs", () => {
    const waivers = Array.from({ length: 9 }, (_, i) => waiver("big-files", 100 + i, i < 4 ? "Release blocker" : `reason ${i}`));
    const report = buildReport(
      data({
        agreements: [
          aggregate("big-files", { pullRequests: 40, evaluations: 95, unmetPullRequests: 12, waivedPullRequests: 9 }),
          // 5 of 5 waived, but too few to say.
          aggregate("few", { pullRequests: 6, unmetPullRequests: 5, waivedPullRequests: 5 }),
          // 5 of 20: lower bound ≈ 11%, below 30%.
          aggregate("sometimes", { pullRequests: 30, unmetPullRequests: 20, waivedPullRequests: 5 }),
        ],
        agreementInfo: [info("big-files"), info("few"), info("sometimes")],
        waivers,
      }),
    );
    const often = report.suggestions.filter((s) => s.kind === "often-waived");
    expect(often.map((s) => s.agreementId)).toEqual(["big-files"]);
    expect(often[0]!.headline).toBe("`big-files` was waived on 9 of the 12 pull requests where it was not met.");
    expect(often[0]!.evidence[0]).toBe(
      "Waived on 75% of the pull requests where it was not met in the last 30 days; with 95% confidence the share is at least 47% (Wilson lower bound).",
    );
    expect(often[0]!.evidence[2]).toContain("“Release blocker” (4 pull requests)");
    expect(often[0]!.figures.wilsonLowerBound95).toBeCloseTo(0.4677, 3);

    const repeated = report.suggestions.filter((s) => s.kind === "repeated-reason");
    expect(repeated).toHaveLength(1);
    expect(repeated[0]!.headline).toBe("The same reason to waive `big-files` came up on 4 pull requests: “Release blocker”.");
    expect(repeated[0]!.evidence).toEqual(["“Release blocker” on #100, #101, #102 and #103 in the last 30 days."]);
  });

  it("gathers the reasons that keep coming back for one agreement into one suggestion", () => {
    const report = buildReport(
      data({
        agreements: [aggregate("a", { pullRequests: 9, unmetPullRequests: 7, waivedPullRequests: 7 })],
        agreementInfo: [info("a")],
        waivers: [
          ...[5, 3, 4].map((n) => waiver("a", n, "Generated file")),
          ...[1, 2, 6, 7].map((n) => waiver("a", n, "vendored code")),
        ],
      }),
    );
    const repeated = report.suggestions.filter((s) => s.kind === "repeated-reason");
    expect(repeated).toHaveLength(1);
    expect(repeated[0]!.headline).toBe("2 reasons to waive `a` keep coming back, most often “vendored code” (4 pull requests).");
    expect(repeated[0]!.evidence).toEqual(["“vendored code” on #1, #2, #6 and #7 in the last 30 days.", "“Generated file” on #3, #4 and #5 in the last 30 days."]);
  });

  it("counts a reason once per pull request, however it is written", () => {
    const report = buildReport(
      data({
        agreements: [aggregate("a", { pullRequests: 3, unmetPullRequests: 3, waivedPullRequests: 3 })],
        agreementInfo: [info("a")],
        waivers: [waiver("a", 1, "Hotfix!"), waiver("a", 1, "hotfix"), waiver("a", 2, "HOTFIX", "dave"), waiver("a", 3, "hot fix")],
      }),
    );
    expect(report.agreements[0]!.waivers).toEqual([
      { reason: "Hotfix!", pullRequests: [1, 2], by: ["carol", "dave"] },
      { reason: "hot fix", pullRequests: [3], by: ["carol"] },
    ]);
    expect(report.suggestions.filter((s) => s.kind === "repeated-reason")).toEqual([]);
  });

  it("measures team waits from the request or the need, and names the longest cross-team waits", () => {
    const rows: [string, number, number | null, boolean?, boolean?][] = [
      ["platform", 1, 30],
      ["platform", 2, 50],
      ["platform", 3, 20],
      ["platform", 4, 1, false],
      ["platform", 5, null],
      ["platform", 6, null, true, true],
      ["data-science", 7, 2],
      ["data-science", 8, 3],
      ["data-science", 9, 1],
      ["infra", 10, 100],
      ["infra", 11, 100],
    ];
    const report = buildReport(
      data({
        teamNames: { platform: "Platform", "data-science": "Data Science", infra: "Infra" },
        teamReviews: rows.filter(([, , h]) => h !== null).map(([team, , hours, cross = true]) => ({ team, crossTeam: cross, seconds: hours! * 3600 })),
        teamOpen: rows
          .filter(([, , h]) => h === null)
          .map(([team, number, , cross = true, closed = false]) => ({ team, number, crossTeam: cross, closed, startedAt: iso(NOW - 10 * DAY) })),
        teamNeeds: [
          { team: "platform", agreements: ["pipelines-both-teams"], pullRequests: 6 },
          { team: "data-science", agreements: ["pipelines-both-teams"], pullRequests: 3 },
          { team: "infra", agreements: ["pipelines-both-teams"], pullRequests: 2 },
        ],
      }),
    );
    const platform = report.teams.find((t) => t.team === "platform")!;
    expect(platform).toMatchObject({
      name: "Platform",
      reviewed: 4,
      medianSecondsToFirstReview: 25 * 3600,
      stillWaiting: 1,
      longestOpenWaitSeconds: 10 * 86400,
      crossTeam: { reviewed: 3, medianSecondsToFirstReview: 30 * 3600, stillWaiting: 1 },
      neededBy: [{ id: "pipelines-both-teams", pullRequests: 6 }],
    });
    const waits = report.suggestions.filter((s) => s.kind === "long-wait");
    // Data Science is quick (2 h); Infra has too few reviews to say.
    expect(waits.map((s) => s.team)).toEqual(["platform"]);
    expect(waits[0]!.headline).toBe("Pull requests from other teams waited a median 30 h for a first review from Platform.");
    expect(waits[0]!.evidence).toContain("1 pull request from other teams is still waiting.");
  });

  it("shows what enforcing a trial agreement would have done", () => {
    const report = buildReport(
      data({
        agreements: [aggregate("titles", { pullRequests: 20, unmetPullRequests: 7, trialBlockedPullRequests: 6, trialHeldPullRequests: 1 })],
        agreementInfo: [info("titles", { mode: "trial" })],
      }),
    );
    expect(report.agreements[0]).toMatchObject({ mode: "trial", wouldHaveBlocked: 6, wouldHaveHeld: 1 });
    const trial = report.suggestions.find((s) => s.kind === "trial")!;
    expect(trial.headline).toBe("If enforced, trial `titles` would have blocked 6 of the 20 pull requests it applied to and held 1 for reviews.");
  });

  it("proposes retiring agreements not unmet for 90 days, but not new, removed or implicit ones", () => {
    const report = buildReport(
      data({
        agreementInfo: [
          info("quiet-pass", { lastUnmetAt: iso(NOW - 120 * DAY) }),
          info("never-applies", { lastUnmetAt: null, lastAppliedAt: iso(NOW - 150 * DAY) }),
          info("too-new", { firstSeenAt: iso(NOW - 20 * DAY), lastUnmetAt: null }),
          info("removed", { lastSeenAt: iso(NOW - 45 * DAY), lastUnmetAt: null }),
          info("amend-agreements", { lastUnmetAt: null }),
          info("busy"),
        ],
        inScopeLast90Days: { "quiet-pass": 42, "never-applies": 0, "too-new": 3, removed: 0, "amend-agreements": 0 },
      }),
    );
    const retire = report.suggestions.filter((s) => s.kind === "retire");
    expect(retire.map((s) => s.agreementId)).toEqual(["quiet-pass", "never-applies"]);
    expect(retire[0]!.headline).toBe("`quiet-pass` was met on all 42 pull requests it applied to in 90 days.");
    expect(retire[1]!.headline).toBe("`never-applies` did not apply to any pull request in 90 days.");
    expect(report.agreements.map((a) => a.id)).not.toContain("removed");
  });

  it("compares each agreement with the window before", () => {
    const report = buildReport(
      data({
        agreements: [
          aggregate("worse", { pullRequests: 10, unmetPullRequests: 5 }),
          aggregate("better", { pullRequests: 10, unmetPullRequests: 1 }),
          aggregate("same", { pullRequests: 10, unmetPullRequests: 3 }),
          aggregate("fresh", { pullRequests: 2, unmetPullRequests: 1 }),
        ],
        previousAgreements: [
          aggregate("worse", { pullRequests: 10, unmetPullRequests: 1 }),
          aggregate("better", { pullRequests: 10, unmetPullRequests: 5 }),
          aggregate("same", { pullRequests: 20, unmetPullRequests: 6 }),
          aggregate("gone-quiet", { pullRequests: 4, unmetPullRequests: 2 }),
        ],
        agreementInfo: ["worse", "better", "same", "fresh", "gone-quiet"].map((id) => info(id)),
        unmetToMetSeconds: { worse: [3600, 7200, 36000] },
      }),
    );
    const trend = Object.fromEntries(report.agreements.map((a) => [a.id, a.trend.direction]));
    expect(trend).toEqual({ worse: "more-often", better: "less-often", same: "steady", fresh: "new", "gone-quiet": "quiet" });
    expect(report.agreements.find((a) => a.id === "worse")!.medianSecondsToMet).toBe(7200);
  });
});

describe("renderers", () => {
  const report = buildReport(
    data({
      pullRequests: 12,
      evaluations: 40,
      agreements: [aggregate("no-pickles", { pullRequests: 12, unmetPullRequests: 4, waivedPullRequests: 2 }), aggregate("titles", { pullRequests: 5 })],
      agreementInfo: [info("no-pickles", { title: "No pickles | ever" }), info("titles", { mode: "trial" })],
      waivers: [waiver("no-pickles", 7, "Model | hotfix")],
      paths: [{ path: "models/churn", pullRequests: 4, unmetPullRequests: 3 }],
    }),
  );

  it("markdown: a mermaid bar chart GitHub renders, tables with escaped cells, suggestions first", () => {
    const markdown = renderReport(report, "markdown");
    expect(mermaidChart(report)).toBe(
      [
        "```mermaid",
        "xychart-beta",
        '    title "Pull requests per agreement, last 30 days"',
        '    x-axis ["no-pickles", "titles"]',
        '    y-axis "Pull requests" 0 --> 12',
        "    bar [12, 5]",
        "    bar [4, 0]",
        "```",
      ].join("\n"),
    );
    expect(markdown.indexOf("### Suggestions")).toBeLessThan(markdown.indexOf("### Agreements"));
    expect(markdown).toContain("| `no-pickles` No pickles \\| ever | 12 | 4 (33%) | 2 |");
    expect(markdown).toContain("“Model \\| hotfix” — #7");
    expect(markdown).toContain("| `models/churn` | 4 | 3 |");
  });

  it("text and JSON carry the same report", () => {
    const text = renderReport(report, "text");
    expect(text).toContain("Over the 30 days from 2026-01-30 to 2026-03-01: 12 pull requests, 40 evaluations.");
    expect(text).toContain("  models/churn  3 of 4 pull requests");
    expect(text).not.toContain("`");
    expect(JSON.parse(renderReport(report, "json"))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it("says plainly when nothing was recorded in the window", () => {
    const empty = buildReport(data());
    expect(renderReport(empty, "text")).toContain("Nothing was recorded in this window yet. Try a longer one, e.g. --since 90d.");
    expect(renderReport(empty, "markdown")).not.toContain("```mermaid");
  });

  it("never blames: no 'you', 'fault' or 'why did'", () => {
    const busy = buildReport(
      data({
        agreements: [aggregate("a", { pullRequests: 30, unmetPullRequests: 12, waivedPullRequests: 10 }), aggregate("t", { pullRequests: 3, trialBlockedPullRequests: 1 })],
        agreementInfo: [info("a"), info("t", { mode: "trial" }), info("old", { lastUnmetAt: null })],
        waivers: [1, 2, 3].map((n) => waiver("a", n, "same")),
        teamNames: { p: "Platform" },
        teamReviews: [1, 2, 3].map(() => ({ team: "p", crossTeam: true, seconds: 2 * 86400 })),
        teamNeeds: [{ team: "p", agreements: ["a"], pullRequests: 3 }],
      }),
    );
    expect(new Set(busy.suggestions.map((s) => s.kind))).toEqual(new Set(["often-waived", "repeated-reason", "long-wait", "trial", "retire"]));
    for (const format of ["text", "markdown"] as const) {
      const out = renderReport(busy, format).toLowerCase();
      expect(out).not.toMatch(/\byou\b|\byour\b|fault|why did|blame|failed to/);
    }
  });
});
