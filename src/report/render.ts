/** The friction report as text (terminal), markdown (GitHub issue or comment, with a mermaid chart) and JSON. */
import { day, duration, percent, plural, prRefs, prs } from "./format.js";
import type { AgreementHealth, FrictionReport, Suggestion } from "./model.js";

export type ReportFormat = "text" | "json" | "markdown";

export function renderReport(report: FrictionReport, format: ReportFormat): string {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  return format === "markdown" ? renderMarkdown(report) : renderText(report);
}

const windowWords = (r: FrictionReport) => `the ${r.window.days} days from ${day(r.window.since)} to ${day(r.window.until)}`;

function trendWords(a: AgreementHealth, days: number): string {
  const t = a.trend;
  const before = `${t.previousUnmetPullRequests} of ${t.previousPullRequests} in the ${days} days before`;
  switch (t.direction) {
    case "new":
      return "nothing to compare with in the window before";
    case "quiet":
      return t.previousPullRequests > 0 ? `did not apply this time (${before})` : "did not apply";
    case "steady":
      return `about as often as before (${before})`;
    case "more-often":
      return `not met more often than before (${before})`;
    case "less-often":
      return `not met less often than before (${before})`;
  }
}

const trendArrow: Record<AgreementHealth["trend"]["direction"], string> = {
  "more-often": "↑ more often",
  "less-often": "↓ less often",
  steady: "→ steady",
  new: "new",
  quiet: "–",
};

const kindLabel: Record<Suggestion["kind"], string> = {
  "often-waived": "Often waived",
  "repeated-reason": "A reason that keeps coming back",
  "long-wait": "Long cross-team wait",
  trial: "Trial agreement",
  retire: "Candidate to retire",
};

const modeWords = (a: AgreementHealth) => `${a.severity}${a.mode === "trial" ? ", trial" : ""}`;

// ---------------------------------------------------------------------------------------------

export function renderText(r: FrictionReport): string {
  const lines: string[] = [];
  lines.push(`Agreement health for ${r.repo}`);
  lines.push(`Over ${windowWords(r)}: ${prs(r.pullRequests)}, ${plural(r.evaluations, "evaluation")}.`);
  if (r.pullRequests === 0 && r.agreements.length === 0) {
    lines.push("", "Nothing was recorded in this window yet. Try a longer one, e.g. --since 90d.");
    return `${lines.join("\n")}\n`;
  }

  lines.push("", "Agreements");
  for (const a of r.agreements) {
    lines.push(`  ${a.id} — ${a.title} (${modeWords(a)})`);
    if (a.pullRequests === 0) {
      lines.push(`    did not apply to any pull request`);
      continue;
    }
    lines.push(
      `    applied to ${prs(a.pullRequests)}; not met on ${a.unmetPullRequests} (${percent(a.unmetShare)}${a.heldPullRequests > 0 ? `; ${a.heldPullRequests} waited for reviews` : ""})${a.waivedPullRequests > 0 ? `, waived on ${a.waivedPullRequests}` : ""}; ${trendWords(a, r.window.days)}`,
    );
    if (a.metAfterUnmet > 0) lines.push(`    from not met to met: median ${duration(a.medianSecondsToMet)} (${prs(a.metAfterUnmet)})`);
    if (a.mode === "trial" && a.severity === "required") {
      lines.push(`    enforced, it would have blocked ${prs(a.wouldHaveBlocked ?? 0)}${(a.wouldHaveHeld ?? 0) > 0 ? ` and held ${prs(a.wouldHaveHeld ?? 0)} for reviews` : ""}`);
    }
    for (const w of a.waivers.slice(0, 5)) lines.push(`    waiver: “${w.reason}” — ${prRefs(w.pullRequests)}`);
    if (a.waivers.length > 5) lines.push(`    … and ${plural(a.waivers.length - 5, "more reason")}`);
  }

  if (r.teams.length > 0) {
    lines.push("", "Time to a first review, per team (from the review request, or from when the PR needed the team)");
    for (const t of r.teams) {
      const cross = t.crossTeam.reviewed > 0 ? `; from other teams' PRs ${duration(t.crossTeam.medianSecondsToFirstReview)}` : "";
      const waiting = t.stillWaiting > 0 ? `; ${t.stillWaiting} still waiting (longest so far ${duration(t.longestOpenWaitSeconds)})` : "";
      lines.push(`  ${t.name}: median ${duration(t.medianSecondsToFirstReview)} over ${prs(t.reviewed)}${cross}${waiting}`);
    }
  }

  if (r.paths.length > 0) {
    lines.push("", "Paths most often involved (pull requests where an agreement looking at them was not met)");
    const width = Math.max(...r.paths.slice(0, 10).map((p) => p.path.length));
    for (const p of r.paths.slice(0, 10)) lines.push(`  ${p.path.padEnd(width)}  ${p.unmetPullRequests} of ${prs(p.pullRequests)}`);
  }

  lines.push("", "Suggestions for the next conversation between the teams");
  if (r.suggestions.length === 0) lines.push("  None: nothing in this window stands out.");
  r.suggestions.forEach((s, index) => {
    lines.push(`  ${index + 1}. ${kindLabel[s.kind]}: ${s.headline.replace(/`/g, "")}`);
    for (const e of s.evidence) lines.push(`     - ${e.replace(/`/g, "")}`);
    lines.push(`     To discuss: ${s.discuss.replace(/`/g, "")}`);
  });
  return `${lines.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A bar chart GitHub renders: per agreement, the PRs in scope with the PRs where it was not met drawn in front. */
export function mermaidChart(r: FrictionReport): string | undefined {
  const shown = r.agreements.filter((a) => a.pullRequests > 0).slice(0, 12);
  if (shown.length === 0) return undefined;
  const top = Math.max(...shown.map((a) => a.pullRequests));
  return [
    "```mermaid",
    "xychart-beta",
    `    title "Pull requests per agreement, last ${r.window.days} days"`,
    `    x-axis [${shown.map((a) => `"${a.id.replace(/"/g, "'")}"`).join(", ")}]`,
    `    y-axis "Pull requests" 0 --> ${Math.max(1, top)}`,
    `    bar [${shown.map((a) => a.pullRequests).join(", ")}]`,
    `    bar [${shown.map((a) => a.unmetPullRequests).join(", ")}]`,
    "```",
  ].join("\n");
}

export function renderMarkdown(r: FrictionReport): string {
  const out: string[] = [];
  out.push(`## Agreement health: ${r.repo}`, "");
  out.push(`Over ${windowWords(r)}: **${prs(r.pullRequests)}**, ${plural(r.evaluations, "evaluation")}.`);
  if (r.pullRequests === 0 && r.agreements.length === 0) {
    out.push("", "Nothing was recorded in this window yet.");
    return `${out.join("\n")}\n`;
  }

  out.push("", "### Suggestions for the next conversation", "");
  if (r.suggestions.length === 0) out.push("Nothing in this window stands out. 🎉");
  for (const s of r.suggestions) {
    out.push(`- **${kindLabel[s.kind]}.** ${s.headline}`);
    for (const e of s.evidence) out.push(`  - ${e}`);
    out.push(`  - _To discuss:_ ${s.discuss}`);
  }

  out.push("", "### Agreements", "");
  const chart = mermaidChart(r);
  if (chart) out.push(chart, "", "<sub>Taller bars: pull requests the agreement applied to. Bars in front: those where it was not met at some point.</sub>", "");
  out.push("| Agreement | Applied to | Not met | Waived | Not met → met (median) | Compared with the window before |");
  out.push("|---|---:|---:|---:|---:|---|");
  for (const a of r.agreements) {
    const label = `\`${a.id}\` ${cell(a.title)}${a.mode === "trial" ? " _(trial)_" : ""}${a.severity === "advisory" ? " _(advisory)_" : ""}`;
    const trend = `${trendArrow[a.trend.direction]}${a.trend.previousPullRequests > 0 ? ` (${a.trend.previousUnmetPullRequests} of ${a.trend.previousPullRequests})` : ""}`;
    out.push(
      `| ${label} | ${a.pullRequests} | ${a.unmetPullRequests} (${percent(a.unmetShare)})${a.heldPullRequests > 0 ? `, ${a.heldPullRequests} waited for reviews` : ""} | ${a.waivedPullRequests} | ${a.metAfterUnmet > 0 ? duration(a.medianSecondsToMet) : "–"} | ${trend} |`,
    );
  }
  const withWaivers = r.agreements.filter((a) => a.waivers.length > 0);
  if (withWaivers.length > 0) {
    out.push("", "<details><summary>Waiver reasons</summary>", "");
    for (const a of withWaivers) {
      out.push(`- \`${a.id}\``);
      for (const w of a.waivers) out.push(`  - “${cell(w.reason)}” — ${prRefs(w.pullRequests, 10)}`);
    }
    out.push("", "</details>");
  }

  if (r.teams.length > 0) {
    out.push("", "### Time to a first review", "");
    out.push("Measured from the review request, or from when the pull request first needed the team.", "");
    out.push("| Team | Reviewed | Median | 90th percentile | Other teams' PRs (median) | Still waiting |");
    out.push("|---|---:|---:|---:|---:|---:|");
    for (const t of r.teams) {
      out.push(
        `| ${cell(t.name)} | ${t.reviewed} | ${duration(t.medianSecondsToFirstReview)} | ${duration(t.p90SecondsToFirstReview)} | ${t.crossTeam.reviewed > 0 ? duration(t.crossTeam.medianSecondsToFirstReview) : "–"} | ${t.stillWaiting}${t.stillWaiting > 0 ? ` (longest ${duration(t.longestOpenWaitSeconds)})` : ""} |`,
      );
    }
  }

  if (r.paths.length > 0) {
    out.push("", "### Paths most often involved", "");
    out.push("| Path | Pull requests | With an agreement not met |");
    out.push("|---|---:|---:|");
    for (const p of r.paths.slice(0, 10)) out.push(`| \`${cell(p.path)}\` | ${p.pullRequests} | ${p.unmetPullRequests} |`);
  }
  out.push("", "<sub>Each pull request counts in the window where an agreement first applied to it. Generated by Accord from its friction record.</sub>");
  return `${out.join("\n")}\n`;
}
