/**
 * The organisation view of the friction report (SPEC §4, §7): every repository recorded for an
 * owner, with the repository report's definitions. Counts add up across repositories; medians
 * and percentiles are taken over the pooled waits, not averaged; each figure says which
 * repositories it comes from, and each suggestion keeps the repository whose data shows it.
 * Pure over the stores' rows: one model feeds the text, JSON, markdown and the dashboard.
 */
import type { AgreementAggregate, ReportData } from "../store/types.js";
import { AGGREGATE_FIELDS, emptyReportData } from "../store/types.js";
import { buildReport } from "./build.js";
import type { AgreementHealth, FrictionReport, PathFriction, Suggestion, TeamHealth } from "./model.js";
import { normalizeReason } from "./stats.js";

/** A pull request in the organisation: `repo#number`. */
export type PullRequestRef = string;

export interface RepositoryShare {
  repo: string;
  pullRequests: number;
  unmetPullRequests: number;
  waivedPullRequests: number;
  heldPullRequests: number;
}

export interface OrganizationAgreement extends Omit<AgreementHealth, "waivers"> {
  waivers: { reason: string; pullRequests: PullRequestRef[]; by: string[] }[];
  /** Where the figures come from, most pull requests first. */
  repositories: RepositoryShare[];
}

export interface OrganizationTeam extends TeamHealth {
  repositories: { repo: string; reviewed: number; stillWaiting: number }[];
}

export interface OrganizationSuggestion extends Suggestion {
  /** The repository whose figures the evidence quotes (the one where it shows most). */
  repo: string;
  /** Every repository where the same suggestion comes up, most evidence first. */
  repositories: string[];
}

export interface OrganizationReport {
  owner: string;
  window: FrictionReport["window"];
  previousWindow: FrictionReport["previousWindow"];
  pullRequests: number;
  evaluations: number;
  repositories: { repo: string; pullRequests: number; evaluations: number; suggestions: number }[];
  agreements: OrganizationAgreement[];
  teams: OrganizationTeam[];
  /** Paths as `repo:path`. */
  paths: (PathFriction & { repo: string })[];
  suggestions: OrganizationSuggestion[];
}


function sumAggregates(lists: readonly AgreementAggregate[][]): AgreementAggregate[] {
  const byId = new Map<string, AgreementAggregate>();
  for (const list of lists) {
    for (const row of list) {
      const sum = byId.get(row.agreementId) ?? { ...row, ...Object.fromEntries(AGGREGATE_FIELDS.map((key) => [key, 0])) };
      for (const key of AGGREGATE_FIELDS) sum[key] += row[key];
      byId.set(row.agreementId, sum);
    }
  }
  return [...byId.values()];
}

/**
 * The repositories' rows as one owner's: counts summed, waits pooled. PR numbers repeat across
 * repositories, so the pooled data carries none that a figure would show (waivers are taken
 * from each repository's own report instead).
 */
export function mergeReportData(owner: string, datas: readonly ReportData[], window: ReportData["window"], previousWindow: ReportData["previousWindow"]): ReportData {
  const merged = emptyReportData(owner, window, previousWindow);
  merged.evaluations = datas.reduce((n, d) => n + d.evaluations, 0);
  merged.pullRequests = datas.reduce((n, d) => n + d.pullRequests, 0);
  merged.agreements = sumAggregates(datas.map((d) => d.agreements));
  merged.previousAgreements = sumAggregates(datas.map((d) => d.previousAgreements));
  const info = new Map<string, ReportData["agreementInfo"][number]>();
  for (const d of datas) {
    for (const a of d.agreementInfo) {
      const known = info.get(a.agreementId);
      // The latest wording wins; the widest dates.
      if (!known || a.lastSeenAt > known.lastSeenAt) info.set(a.agreementId, { ...a, firstSeenAt: known && known.firstSeenAt < a.firstSeenAt ? known.firstSeenAt : a.firstSeenAt });
    }
  }
  merged.agreementInfo = [...info.values()];
  for (const d of datas) {
    for (const [id, seconds] of Object.entries(d.unmetToMetSeconds)) (merged.unmetToMetSeconds[id] ??= []).push(...seconds);
    Object.assign(merged.teamNames, d.teamNames);
    merged.teamReviews.push(...d.teamReviews);
    merged.teamOpen.push(...d.teamOpen);
    for (const [id, n] of Object.entries(d.inScopeLast90Days)) merged.inScopeLast90Days[id] = (merged.inScopeLast90Days[id] ?? 0) + n;
  }
  const needs = new Map<string, { agreements: Set<string>; pullRequests: number }>();
  for (const d of datas) {
    for (const row of d.teamNeeds) {
      const entry = needs.get(row.team) ?? { agreements: new Set<string>(), pullRequests: 0 };
      row.agreements.forEach((a) => entry.agreements.add(a));
      entry.pullRequests += row.pullRequests;
      needs.set(row.team, entry);
    }
  }
  merged.teamNeeds = [...needs.entries()].map(([team, entry]) => ({ team, agreements: [...entry.agreements], pullRequests: entry.pullRequests }));
  return merged;
}

/** The organisation report from each repository's rows (`datas[i]` is `repos[i]`'s). */
export function buildOrganizationReport(owner: string, repos: readonly string[], datas: readonly ReportData[], window: ReportData["window"], previousWindow: ReportData["previousWindow"]): OrganizationReport {
  const reports = datas.map((data) => buildReport(data));
  const combined = buildReport(mergeReportData(owner, datas, window, previousWindow));
  const agreements: OrganizationAgreement[] = combined.agreements.map((agreement) => {
    const waivers = new Map<string, OrganizationAgreement["waivers"][number]>();
    const repositories: RepositoryShare[] = [];
    reports.forEach((report, i) => {
      const mine = report.agreements.find((a) => a.id === agreement.id);
      if (!mine) return;
      if (mine.pullRequests > 0 || mine.waivedPullRequests > 0)
        repositories.push({ repo: repos[i]!, pullRequests: mine.pullRequests, unmetPullRequests: mine.unmetPullRequests, waivedPullRequests: mine.waivedPullRequests, heldPullRequests: mine.heldPullRequests });
      for (const waiver of mine.waivers) {
        const key = normalizeReason(waiver.reason) || waiver.reason;
        const entry = waivers.get(key) ?? { reason: waiver.reason, pullRequests: [], by: [] };
        entry.pullRequests.push(...waiver.pullRequests.map((n) => `${repos[i]}#${n}`));
        for (const login of waiver.by) if (!entry.by.includes(login)) entry.by.push(login);
        waivers.set(key, entry);
      }
    });
    repositories.sort((a, b) => b.pullRequests - a.pullRequests || a.repo.localeCompare(b.repo));
    return { ...agreement, waivers: [...waivers.values()].sort((a, b) => b.pullRequests.length - a.pullRequests.length), repositories };
  });
  const teams: OrganizationTeam[] = combined.teams.map((team) => ({
    ...team,
    repositories: reports
      .map((report, i) => ({ repo: repos[i]!, team: report.teams.find((t) => t.team === team.team) }))
      .filter((entry) => entry.team && (entry.team.reviewed > 0 || entry.team.stillWaiting > 0))
      .map((entry) => ({ repo: entry.repo, reviewed: entry.team!.reviewed, stillWaiting: entry.team!.stillWaiting })),
  }));
  const paths = reports
    .flatMap((report, i) => report.paths.map((p) => ({ ...p, repo: repos[i]! })))
    .sort((a, b) => b.unmetPullRequests - a.unmetPullRequests || b.pullRequests - a.pullRequests)
    .slice(0, 50);
  const suggestions = groupSuggestions(reports.flatMap((report, i) => report.suggestions.map((s) => ({ suggestion: s, repo: repos[i]! }))));
  return {
    owner,
    window: combined.window,
    previousWindow: combined.previousWindow,
    pullRequests: combined.pullRequests,
    evaluations: combined.evaluations,
    repositories: reports
      .map((report, i) => ({ repo: repos[i]!, pullRequests: report.pullRequests, evaluations: report.evaluations, suggestions: report.suggestions.length }))
      .sort((a, b) => b.pullRequests - a.pullRequests || a.repo.localeCompare(b.repo)),
    agreements,
    teams,
    paths,
    suggestions,
  };
}

/** The weight of a suggestion's evidence, to pick which repository's to quote. */
const weight = (s: Suggestion) => Object.values(s.figures).reduce<number>((sum, value) => sum + (typeof value === "number" ? value : 0), 0);

/**
 * One entry per kind of suggestion and agreement (or team): the same "retire legacy-infra" in
 * 40 repositories is one thing to discuss, quoted from the repository where it shows most, with
 * the others listed — most widespread first.
 */
function groupSuggestions(found: readonly { suggestion: Suggestion; repo: string }[]): OrganizationSuggestion[] {
  const groups = new Map<string, { suggestion: Suggestion; repo: string }[]>();
  for (const entry of found) {
    const key = `${entry.suggestion.kind}\0${entry.suggestion.agreementId ?? ""}\0${entry.suggestion.team ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()]
    .map((entries) => {
      const sorted = [...entries].sort((a, b) => weight(b.suggestion) - weight(a.suggestion) || a.repo.localeCompare(b.repo));
      return { ...sorted[0]!.suggestion, repo: sorted[0]!.repo, repositories: sorted.map((entry) => entry.repo) };
    })
    .sort((a, b) => b.repositories.length - a.repositories.length || weight(b) - weight(a));
}
