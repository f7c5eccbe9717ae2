/** The dashboard's charts: SVG drawn on the server, one labelled image each, nothing for no data. */
import { describe, expect, it } from "vitest";
import { COLOURS, frictionChart, pathsChart, teamWaitChart, weeklyTrendChart } from "../../src/dashboard/charts.js";

describe("charts", () => {
  it("draws one labelled image whose inner parts carry no names of their own", () => {
    const svg = frictionChart([{ id: "no-pickles", unmet: 4, waived: 2 }, { id: "small-changes", unmet: 1, waived: 0 }]);
    const chart = /<svg[^>]*aria-label="[^"]*"[^>]*>/.exec(svg)![0];
    expect(chart).toContain('role="img"');
    expect(chart).toContain('aria-label="Agreements by pull requests where they were not met and where they were waived: no-pickles 4 not met, 2 waived; small-changes 1 not met, 0 waived"');
    expect(svg.match(/aria-label=/g)).toHaveLength(1);
    expect(svg).toContain(COLOURS.unmet);
    expect(svg).toContain(COLOURS.waived);
  });

  it("draws each kind of chart from its figures, and nothing when there are none", () => {
    expect(pathsChart([{ path: "pipelines/a", pullRequests: 3, unmetPullRequests: 1 }])).toContain("pipelines/a");
    expect(teamWaitChart([{ name: "Platform", medianHours: 4, p90Hours: 20 }])).toContain("Platform");
    expect(weeklyTrendChart([{ week: "2026-11-02", agreementId: "a", pullRequests: 3, unmetPullRequests: 2, waivedPullRequests: 1 }], [{ id: "a", title: "A" }])).toMatch(/<svg/);
    expect(frictionChart([])).toBe("");
    expect(pathsChart([])).toBe("");
    expect(teamWaitChart([{ name: "Platform", medianHours: null, p90Hours: null }])).toBe("");
    expect(weeklyTrendChart([], [{ id: "a", title: "A" }])).toBe("");
  });
});
