/** The friction report and the amendment replay. */
export { buildReport, THRESHOLDS } from "./build.js";
export type * from "./model.js";
export { mermaidChart, renderMarkdown, renderReport, renderText, type ReportFormat } from "./render.js";
export { replayAmendment, type AmendmentReplay } from "./replay.js";
export { median, normalizeReason, percentile, wilsonLowerBound } from "./stats.js";
export { parseSince, type ReportWindow } from "./window.js";
export { buildOrganizationReport, mergeReportData, type OrganizationReport } from "./organization.js";
export { mostFriction, renderOrganizationReport } from "./render-organization.js";

import type { FrictionStore } from "../store/types.js";
import { buildReport } from "./build.js";
import type { FrictionReport } from "./model.js";
import { buildOrganizationReport, type OrganizationReport } from "./organization.js";
import type { ReportWindow } from "./window.js";

/** The report for a repository and window, straight from a store (what `/accord report` and the weekly issue need). */
export async function frictionReport(store: Pick<FrictionStore, "reportData">, repo: string, window: ReportWindow): Promise<FrictionReport> {
  return buildReport(await store.reportData(repo, window));
}

/** The repositories recorded for an owner, sorted. */
export async function repositoriesOf(store: Pick<FrictionStore, "repositories">, owner: string): Promise<string[]> {
  const prefix = `${owner.toLowerCase()}/`;
  return (await store.repositories()).filter((repo) => repo.toLowerCase().startsWith(prefix));
}

/** The organisation report: every repository recorded for `owner`, over one window. */
export async function organizationReport(store: Pick<FrictionStore, "reportDataMany" | "repositories">, owner: string, window: ReportWindow, only?: readonly string[]): Promise<OrganizationReport> {
  const repos = (await repositoriesOf(store, owner)).filter((repo) => !only || only.some((name) => name.toLowerCase() === repo.toLowerCase()));
  const datas = await store.reportDataMany(repos, window);
  const first = datas[0];
  const since = window.since.toISOString();
  const until = window.until.toISOString();
  const previous = first?.previousWindow ?? { since: new Date(2 * window.since.getTime() - window.until.getTime()).toISOString(), until: since };
  return buildOrganizationReport(owner, repos, datas, { since, until }, previous);
}
