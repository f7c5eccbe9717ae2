import { describe, expect, it } from "vitest";
import { gini, hitAtK, MetricsAccumulator, reciprocalRank } from "../../src/reviewers/eval/metrics.js";

const actual = (...logins: string[]) => new Set(logins);

describe("hit@k", () => {
  it("is true only when an actual reviewer is within the first k", () => {
    expect(hitAtK(["a", "b", "c", "d"], actual("c"), 3)).toBe(true);
    expect(hitAtK(["a", "b", "c", "d"], actual("d"), 3)).toBe(false);
    expect(hitAtK(["a", "b"], actual("a"), 1)).toBe(true);
    expect(hitAtK(["a", "b"], actual("b"), 1)).toBe(false);
    expect(hitAtK([], actual("a"), 3)).toBe(false);
  });
});

describe("reciprocal rank", () => {
  it("is 1/rank of the first actual reviewer within the cut-off, else 0", () => {
    expect(reciprocalRank(["a", "b", "c"], actual("c", "b"))).toBe(1 / 2);
    expect(reciprocalRank(["a", "b", "c"], actual("a"))).toBe(1);
    const eleven = Array.from({ length: 11 }, (_, i) => `p${i}`);
    expect(reciprocalRank(eleven, actual("p9"), 10)).toBe(1 / 10);
    expect(reciprocalRank(eleven, actual("p10"), 10)).toBe(0);
  });
});

describe("gini", () => {
  it("is 0 for equal counts and for nothing", () => {
    expect(gini([5, 5, 5])).toBe(0);
    expect(gini([])).toBe(0);
    expect(gini([0, 0])).toBe(0);
  });

  it("matches the mean-absolute-difference definition on small cases", () => {
    // [0, 0, 3]: Σ|xi - xj| over ordered pairs = 12; 2 n² mean = 2 · 9 · 1 = 18.
    expect(gini([0, 0, 3])).toBeCloseTo(12 / 18, 12);
    // [1, 3]: Σ = 4; 2 · 4 · 2 = 16.
    expect(gini([3, 1])).toBeCloseTo(0.25, 12);
    // One person holding everything among n tends to 1 - 1/n.
    expect(gini([0, 0, 0, 10])).toBeCloseTo(0.75, 12);
  });
});

describe("MetricsAccumulator", () => {
  it("averages hit@1, hit@3 and mrr@10 over scored records and counts first places", () => {
    const metrics = new MetricsAccumulator();
    metrics.add(["a", "b", "c"], actual("a")); // rank 1
    metrics.add(["a", "b", "c"], actual("c")); // rank 3
    metrics.add(["b", "a", "c", "d"], actual("d")); // rank 4: no hit@3
    metrics.add(["b", "a"], actual("z")); // not ranked
    const summary = metrics.summary();
    expect(summary.scored).toBe(4);
    expect(summary.hitAt1).toBe(0.25);
    expect(summary.hitAt3).toBe(0.5);
    expect(summary.mrrAt10).toBeCloseTo((1 + 1 / 3 + 1 / 4 + 0) / 4, 12);
    expect([...metrics.firstPlaceCounts()]).toEqual([["a", 2], ["b", 2]]);
    expect(summary.gini).toBe(0);
  });
});
