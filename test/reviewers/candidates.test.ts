import { describe, expect, it } from "vitest";
import { filterCandidates, isBot } from "../../src/reviewers/candidates.js";

describe("filterCandidates", () => {
  it("never keeps the author, whatever the letter case", () => {
    const result = filterCandidates({ members: ["Alice", "bob"], author: "alice" });
    expect(result.kept).toEqual(["bob"]);
    expect(result.removed).toEqual([{ login: "Alice", reason: "author" }]);
  });

  it("skips people who are away (case-insensitive) and people flagged busy", () => {
    const result = filterCandidates({
      members: ["alice", "Bob", "carol", "dave"],
      author: "erin",
      away: ["BOB"],
      busy: new Set(["carol"]),
    });
    expect(result.kept).toEqual(["alice", "dave"]);
    expect(result.removed).toEqual([
      { login: "Bob", reason: "away" },
      { login: "carol", reason: "busy" },
    ]);
  });

  it("removes people who already approved and bots, by suffix or by account type", () => {
    const result = filterCandidates({
      members: ["alice", "renovate[bot]", { login: "deploy-helper", type: "Bot" }, { login: "bob", type: "User" }],
      author: "erin",
      approved: ["ALICE"],
    });
    expect(result.kept).toEqual(["bob"]);
    expect(result.removed).toEqual([
      { login: "alice", reason: "approved" },
      { login: "renovate[bot]", reason: "bot" },
      { login: "deploy-helper", reason: "bot" },
    ]);
  });

  it("merges the GitHub team and explicit logins without duplicates, keeping the first spelling", () => {
    const result = filterCandidates({
      members: [{ login: "Alice", type: "User" }, "bob", "alice", "BOB", "carol"],
      author: "erin",
    });
    expect(result.kept).toEqual(["Alice", "bob", "carol"]);
    expect(result.removed).toEqual([]);
  });

  it("gives one reason per person, the author first", () => {
    const result = filterCandidates({ members: ["alice"], author: "alice", away: ["alice"], approved: ["alice"] });
    expect(result.removed).toEqual([{ login: "alice", reason: "author" }]);
  });

  it("recognises bots", () => {
    expect(isBot("dependabot[bot]")).toBe(true);
    expect(isBot({ login: "ci", type: "Bot" })).toBe(true);
    expect(isBot({ login: "robot", type: "User" })).toBe(false);
    expect(isBot("botanist")).toBe(false);
  });
});
