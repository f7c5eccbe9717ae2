/** The organisation report as text, markdown and JSON: the same sections as a repository's, each figure with its repositories. */
import { day, duration, listOf, percent, plural, prs } from "./format.js";
import type { OrganizationReport } from "./organization.js";
import type { ReportFormat } from "./render.js";

export function renderOrganizationReport(report: OrganizationReport, format: ReportFormat): string {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  return format === "markdown" ? organizationMarkdown(report) : organizationText(report);
}

const windowWords = (r: OrganizationReport) => `the ${r.window.days} days from ${day(r.window.since)} to ${day(r.window.until)}`;
const sources = (repos: readonly { repo: string }[]) => listOf(repos.map((r) => r.repo), 4);

/** The agreements that most deserve a look: most often unmet, waived or holding pull requests. */
export function mostFriction(r: OrganizationReport) {
  return [...r.agreements].filter((a) => a.pullRequests > 0).sort((a, b) => b.unmetPullRequests + b.waivedPullRequests - (a.unmetPullRequests + a.waivedPullRequests) || b.pullRequests - a.pullRequests);
}

function organizationText(r: OrganizationReport): string {
  const lines = [`Agreement health for ${r.owner} (${plural(r.repositories.length, "repository", "repositories")})`];
  lines.push(`Over ${windowWords(r)}: ${prs(r.pullRequests)}, ${plural(r.evaluations, "evaluation")}.`);
  if (r.pullRequests === 0) {
    lines.push("", r.repositories.length === 0 ? `Nothing is recorded for ${r.owner} yet.` : "Nothing was recorded in this window. Try a longer one, e.g. --since 90d.");
    return `${lines.join("\n")}\n`;
  }
  lines.push("", "Agreements, most friction first");
  for (const a of mostFriction(r).slice(0, 15)) {
    lines.push(`  ${a.title} (${a.id})`);
    lines.push(`    applied to ${prs(a.pullRequests)}; not met on ${a.unmetPullRequests} (${percent(a.unmetShare)})${a.heldPullRequests > 0 ? `; ${a.heldPullRequests} waited for reviews` : ""}${a.waivedPullRequests > 0 ? `, waived on ${a.waivedPullRequests}` : ""}`);
    lines.push(`    from ${sources(a.repositories)}`);
  }
  if (r.teams.length > 0) {
    lines.push("", "Wait for a first review, per team");
    for (const t of r.teams) {
      lines.push(`  ${t.name}: median ${duration(t.medianSecondsToFirstReview)}, 90th percentile ${duration(t.p90SecondsToFirstReview)} over ${t.reviewed} reviewed; other teams' pull requests: median ${duration(t.crossTeam.medianSecondsToFirstReview)} over ${t.crossTeam.reviewed}${t.stillWaiting > 0 ? `; ${t.stillWaiting} still waiting` : ""}`);
      lines.push(`    from ${sources(t.repositories)}`);
    }
  }
  if (r.suggestions.length > 0) {
    lines.push("", "Worth renegotiating");
    for (const s of r.suggestions) {
      lines.push(`  ${s.headline} (${s.repo}${s.repositories.length > 1 ? `; also in ${listOf(s.repositories.slice(1), 4)}` : ""})`);
      for (const e of s.evidence) lines.push(`    - ${e}`);
      lines.push(`    To discuss: ${s.discuss}`);
    }
  }
  lines.push("", "Repositories");
  for (const repo of r.repositories) lines.push(`  ${repo.repo}: ${prs(repo.pullRequests)}, ${plural(repo.evaluations, "evaluation")}`);
  return `${lines.join("\n")}\n`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function organizationMarkdown(r: OrganizationReport): string {
  const out = [`## Agreement health for ${r.owner}`, `Over ${windowWords(r)}: **${prs(r.pullRequests)}** in ${plural(r.repositories.length, "repository", "repositories")}, ${plural(r.evaluations, "evaluation")}.`];
  if (r.pullRequests === 0) {
    out.push("", r.repositories.length === 0 ? `Nothing is recorded for ${r.owner} yet.` : "Nothing was recorded in this window.");
    return `${out.join("\n")}\n`;
  }
  out.push("", "### Agreements, most friction first", "", "| Agreement | Pull requests | Not met | Waived | From |", "|---|---|---|---|---|");
  for (const a of mostFriction(r).slice(0, 15)) {
    out.push(`| ${cell(a.title)} \`${a.id}\` | ${a.pullRequests} | ${a.unmetPullRequests} (${percent(a.unmetShare)}) | ${a.waivedPullRequests} | ${cell(sources(a.repositories))} |`);
  }
  if (r.teams.length > 0) {
    out.push("", "### Wait for a first review", "", "| Team | Median | 90th percentile | Other teams' PRs (median) | Still waiting | From |", "|---|---|---|---|---|---|");
    for (const t of r.teams) {
      out.push(`| ${cell(t.name)} | ${duration(t.medianSecondsToFirstReview)} | ${duration(t.p90SecondsToFirstReview)} | ${duration(t.crossTeam.medianSecondsToFirstReview)} | ${t.stillWaiting} | ${cell(sources(t.repositories))} |`);
    }
  }
  if (r.suggestions.length > 0) {
    out.push("", "### Worth renegotiating");
    for (const s of r.suggestions) {
      out.push("", `**${cell(s.headline)}** — \`${s.repo}\`${s.repositories.length > 1 ? ` (also in ${listOf(s.repositories.slice(1).map((r) => `\`${r}\``), 4)})` : ""}`, ...s.evidence.map((e) => `- ${e}`), `- *To discuss:* ${s.discuss}`);
    }
  }
  return `${out.join("\n")}\n`;
}
