/**
 * The dashboard's charts, drawn on the server as SVG with Observable Plot (a DOM from linkedom):
 * readable with JavaScript off, labelled for screen readers, and in colours people with colour
 * blindness tell apart (Okabe–Ito). Every chart has a table of the same figures beside it.
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import type { WeeklyAgreementRow } from "../store/types.js";

/** Okabe–Ito: distinguishable with every common colour blindness. */
export const COLOURS = { unmet: "#D55E00", waived: "#0072B2", median: "#009E73", p90: "#E69F00", cross: "#CC79A7" } as const;

function svgOf(options: Plot.PlotOptions, label: string): string {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const svg = Plot.plot({ ...options, document, style: { background: "transparent", fontSize: "12px" } } as Plot.PlotOptions & { document: unknown }) as unknown as {
    setAttribute(name: string, value: string): void;
    outerHTML: string;
    tagName: string;
    querySelector(selector: string): { setAttribute(name: string, value: string): void; outerHTML: string } | null;
    querySelectorAll(selector: string): Iterable<{ removeAttribute(name: string): void }>;
  };
  // The chart is one image with one label; Plot's labels on its inner groups would be read as
  // names of elements that have no role (and screen readers would read every tick).
  for (const element of svg.querySelectorAll("[aria-label], [aria-description]")) {
    element.removeAttribute("aria-label");
    element.removeAttribute("aria-description");
  }
  // A legend makes Plot wrap the chart in a <figure>; the <svg> inside gets the label either way.
  const target = svg.tagName.toLowerCase() === "svg" ? svg : svg.querySelector("svg");
  target?.setAttribute("role", "img");
  target?.setAttribute("aria-label", label);
  return svg.outerHTML;
}

/** Not met and waived, per week, one small chart per agreement. */
export function weeklyTrendChart(rows: readonly WeeklyAgreementRow[], agreements: readonly { id: string; title: string }[], width = 720): string {
  const ids = agreements.map((a) => a.id);
  const points = rows
    .filter((row) => ids.includes(row.agreementId))
    .flatMap((row) => [
      { week: new Date(row.week), agreement: row.agreementId, kind: "not met", value: row.unmetPullRequests },
      { week: new Date(row.week), agreement: row.agreementId, kind: "waived", value: row.waivedPullRequests },
    ]);
  if (points.length === 0) return "";
  return svgOf(
    {
      width,
      height: 90 * ids.length + 60,
      marginLeft: 40,
      marginRight: 170,
      fy: { domain: ids, label: null, axis: "right" },
      x: { type: "utc", label: "week", tickFormat: "%b %d" },
      y: { label: "pull requests", grid: true, nice: true },
      color: { domain: ["not met", "waived"], range: [COLOURS.unmet, COLOURS.waived], legend: true },
      marks: [
        Plot.lineY(points, { x: "week", y: "value", z: "kind", stroke: "kind", fy: "agreement", strokeWidth: 2, marker: "circle-stroke" }),
        Plot.ruleY([0]),
      ],
    },
    `Pull requests per week where each agreement was not met, and where it was waived: ${ids.join(", ")}`,
  );
}

/** Median and 90th-percentile wait for a first review, per team. */
export function teamWaitChart(teams: readonly { name: string; medianHours: number | null; p90Hours: number | null }[], width = 720): string {
  const points = teams.flatMap((team) => [
    ...(team.medianHours === null ? [] : [{ team: team.name, measure: "median", hours: team.medianHours }]),
    ...(team.p90Hours === null ? [] : [{ team: team.name, measure: "90th percentile", hours: team.p90Hours }]),
  ]);
  if (points.length === 0) return "";
  return svgOf(
    {
      width,
      height: 50 * teams.length + 70,
      marginLeft: 110,
      marginRight: 140,
      x: { label: "hours to a first review", grid: true, nice: true },
      y: { label: null },
      fy: { label: null, axis: "right" },
      color: { domain: ["median", "90th percentile"], range: [COLOURS.median, COLOURS.p90], legend: true },
      marks: [Plot.barX(points, { y: "measure", x: "hours", fill: "measure", fy: "team" }), Plot.ruleX([0])],
    },
    `Hours each team took to give a first review: ${teams.map((t) => `${t.name} median ${t.medianHours ?? "none"}`).join("; ")}`,
  );
}

/** Horizontal bars, one per row, stacked by kind (the paths and the organisation's agreements). */
function stackedBars(rows: readonly { label: string; parts: Record<string, number> }[], kinds: readonly string[], colours: readonly string[], label: string, width: number): string {
  if (rows.length === 0) return "";
  const points = rows.flatMap((row) => kinds.map((kind) => ({ label: row.label, kind, value: row.parts[kind] ?? 0 })));
  return svgOf(
    {
      width,
      height: 30 * rows.length + 70,
      marginLeft: 200,
      x: { label: "pull requests", grid: true, nice: true },
      y: { label: null, domain: rows.map((row) => row.label) },
      color: { domain: [...kinds], range: [...colours], legend: true },
      marks: [Plot.barX(points, { y: "label", x: "value", fill: "kind" }), Plot.ruleX([0])],
    },
    label,
  );
}

/** Pull requests per path, and of those where an agreement was not met. */
export function pathsChart(paths: readonly { path: string; pullRequests: number; unmetPullRequests: number }[], width = 720): string {
  const shown = paths.slice(0, 10);
  return stackedBars(
    shown.map((p) => ({ label: p.path, parts: { met: p.pullRequests - p.unmetPullRequests, "not met": p.unmetPullRequests } })),
    ["met", "not met"],
    ["#999999", COLOURS.unmet],
    `The paths most involved: ${shown.map((p) => `${p.path} ${p.unmetPullRequests} of ${p.pullRequests} not met`).join("; ")}`,
    width,
  );
}

/** Agreements by pull requests not met and waived (the organisation view). */
export function frictionChart(agreements: readonly { id: string; unmet: number; waived: number }[], width = 720): string {
  const shown = agreements.slice(0, 12);
  return stackedBars(
    shown.map((a) => ({ label: a.id, parts: { "not met": a.unmet, waived: a.waived } })),
    ["not met", "waived"],
    [COLOURS.unmet, COLOURS.waived],
    `Agreements by pull requests where they were not met and where they were waived: ${shown.map((a) => `${a.id} ${a.unmet} not met, ${a.waived} waived`).join("; ")}`,
    width,
  );
}
