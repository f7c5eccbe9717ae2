import { describe, expect, it } from "vitest";
import { AccordSuggester } from "../../src/reviewers/eval/accord-suggester.js";
import { BusiestReviewerSuggester, FileReviewersSuggester, RandomSuggester } from "../../src/reviewers/eval/baselines.js";
import type { ReviewRecord } from "../../src/reviewers/eval/dataset.js";
import type { SuggestionRequest } from "../../src/reviewers/eval/protocol.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 6, 1);

function past(daysAgo: number, reviewers: string[], files: string[]): ReviewRecord {
  const at = NOW - daysAgo * DAY;
  return { id: `r${daysAgo}`, createdAt: at, mergedAt: at, author: "ann", reviewers, files };
}

const request = (files: string[], key = "k1"): SuggestionRequest => ({
  key,
  author: "ann",
  files,
  now: NOW,
  candidates: ["bob", "carol", "dave"],
});

describe("baselines", () => {
  it("busiest reviewer counts reviews of the last 90 days only", () => {
    const busiest = new BusiestReviewerSuggester();
    for (const daysAgo of [100, 101, 102]) busiest.observe(past(daysAgo, ["carol"], ["x/a.go"]));
    for (const daysAgo of [5, 6]) busiest.observe(past(daysAgo, ["dave"], ["x/a.go"]));
    busiest.observe(past(7, ["bob"], ["x/a.go"]));
    expect(busiest.suggest(request(["y/b.go"]))).toEqual(["dave", "bob", "carol"]);
  });

  it("file reviewers weight each review of the same file by 1 / (1 + days/30), ties by recent reviews", () => {
    const files = new FileReviewersSuggester();
    files.observe(past(60, ["bob"], ["x/a.go"])); // 1/3
    files.observe(past(60, ["bob"], ["x/a.go"])); // 1/3
    files.observe(past(0, ["carol"], ["x/a.go"])); // 1
    files.observe(past(1, ["dave"], ["y/other.go"]));
    expect(files.suggest(request(["x/a.go"]))).toEqual(["carol", "bob", "dave"]);
  });

  it("random is seeded: the same seed gives the same orders", () => {
    const a = new RandomSuggester(42);
    const b = new RandomSuggester(42);
    const ordersA = [1, 2, 3].map(() => a.suggest(request([])));
    const ordersB = [1, 2, 3].map(() => b.suggest(request([])));
    expect(ordersA).toEqual(ordersB);
    expect(ordersA.every((order) => [...order].sort().join() === "bob,carol,dave")).toBe(true);
  });
});

describe("AccordSuggester", () => {
  it("counts its own recent first places as load, so equal experts take turns", () => {
    const accord = new AccordSuggester();
    for (let daysAgo = 1; daysAgo <= 20; daysAgo++) accord.observe(past(daysAgo + 1, [daysAgo % 2 ? "bob" : "carol"], ["x/a.go"]));
    const firsts = Array.from({ length: 10 }, (_, i) => accord.suggest(request(["x/a.go"], `pr${i}`))[0]);
    expect(firsts.filter((login) => login === "bob")).toHaveLength(5);
    expect(firsts.filter((login) => login === "carol")).toHaveLength(5);
  });
});
