/** The friction report and the amendment replay. */
export { buildReport, THRESHOLDS } from "./build.js";
export type * from "./model.js";
export { mermaidChart, renderMarkdown, renderReport, renderText, type ReportFormat } from "./render.js";
export { replayAmendment, type AmendmentReplay } from "./replay.js";
export { median, normalizeReason, percentile, wilsonLowerBound } from "./stats.js";
export { parseSince, type ReportWindow } from "./window.js";

import type { FrictionStore } from "../store/types.js";
import { buildReport } from "./build.js";
import type { FrictionReport } from "./model.js";
import type { ReportWindow } from "./window.js";

/** The report for a repository and window, straight from a store (what `/accord report` and the weekly issue need). */
export async function frictionReport(store: Pick<FrictionStore, "reportData">, repo: string, window: ReportWindow): Promise<FrictionReport> {
  return buildReport(await store.reportData(repo, window));
}
