import { describe, expect, it } from "vitest";
import { currentApprovers } from "../../src/engine/requirements/approvals.js";
import type { Review } from "../../src/engine/facts.js";
import { BLAME, approved, check } from "./helpers.js";

const BOTH = "      approvals:\n        - { team: data-science }\n        - { team: platform }\n";
const review = (reviewer: string, state: Review["state"], submittedAt?: string): Review => ({ reviewer, state, ...(submittedAt ? { submittedAt } : {}) });

describe("currentApprovers", () => {
  it("counts an approval", () => {
    expect([...currentApprovers([approved("bob")])]).toEqual(["bob"]);
  });

  it("uses the latest non-comment review: a later comment does not undo an approval", () => {
    expect(currentApprovers([approved("bob", "2026-01-01T10:00:00Z"), review("bob", "COMMENTED", "2026-01-01T11:00:00Z")]).has("bob")).toBe(true);
  });

  it("uses the latest non-comment review: a later request for changes does", () => {
    expect(currentApprovers([approved("bob", "2026-01-01T10:00:00Z"), review("bob", "CHANGES_REQUESTED", "2026-01-01T11:00:00Z")]).has("bob")).toBe(false);
  });

  it("an approval after a request for changes counts", () => {
    expect(currentApprovers([review("bob", "CHANGES_REQUESTED", "2026-01-01T10:00:00Z"), approved("bob", "2026-01-01T11:00:00Z")]).has("bob")).toBe(true);
  });

  it("never counts a dismissed review, even as the latest", () => {
    expect(currentApprovers([approved("bob", "2026-01-01T10:00:00Z"), review("bob", "DISMISSED", "2026-01-01T11:00:00Z")]).has("bob")).toBe(false);
    expect(currentApprovers([review("bob", "DISMISSED")]).has("bob")).toBe(false);
  });

  it("ignores pending (unsubmitted) reviews", () => {
    expect(currentApprovers([approved("bob", "2026-01-01T10:00:00Z"), review("bob", "PENDING")]).has("bob")).toBe(true);
  });

  it("orders by submittedAt when given, whatever order the list arrives in", () => {
    expect(currentApprovers([review("bob", "CHANGES_REQUESTED", "2026-01-02T00:00:00Z"), approved("bob", "2026-01-01T00:00:00Z")]).has("bob")).toBe(false);
  });

  it("keeps the given order when no review has a time", () => {
    expect(currentApprovers([review("bob", "CHANGES_REQUESTED"), approved("bob")]).has("bob")).toBe(true);
  });

  it("compares logins case-insensitively", () => {
    expect(currentApprovers([approved("Bob"), review("bob", "CHANGES_REQUESTED")]).has("bob")).toBe(false);
  });
});

describe("approvals", () => {
  it("passes when every team has enough approvals, and names who approved", () => {
    const result = check("approvals", BOTH, { author: "zed", reviews: [approved("alice"), approved("carol")] });
    expect(result.outcome).toBe("pass");
    expect(result.message).toBe("Approved by Data Science (@alice) and Platform (@carol).");
  });

  it("is `waiting`, not `fail`, while an approval is missing", () => {
    const result = check("approvals", BOTH, { author: "zed", reviews: [approved("alice")] });
    expect(result.outcome).toBe("waiting");
    expect(result.message).toBe("Waiting for an approval from Platform.");
    expect(result.howTo).toBe("Ask someone in Platform for a review.");
    expect(result.pending).toEqual([{ team: "platform", teamName: "Platform", needed: 1, have: 0 }]);
    expect(result.files).toEqual([]);
  });

  it("excludes the author, even when they are a member who approved", () => {
    const result = check("approvals", "      approvals: [{ team: data-science }]\n", { author: "alice", reviews: [approved("alice")] });
    expect(result.outcome).toBe("waiting");
  });

  it("excludes the author case-insensitively", () => {
    const result = check("approvals", "      approvals: [{ team: data-science }]\n", { author: "ALICE", reviews: [approved("alice")] });
    expect(result.outcome).toBe("waiting");
  });

  it("counts a member of two teams for each (eve is in both)", () => {
    const result = check("approvals", BOTH, { author: "zed", reviews: [approved("eve")] });
    expect(result.outcome).toBe("pass");
  });

  it("needs `count` distinct members, and says how many so far", () => {
    const rule = "      approvals: [{ team: platform, count: 2 }]\n";
    const one = check("approvals", rule, { author: "zed", reviews: [approved("carol"), approved("carol")] });
    expect(one.outcome).toBe("waiting");
    expect(one.message).toBe("Waiting for 1 more approval from Platform (1 of 2 so far).");
    expect(one.pending).toEqual([{ team: "platform", teamName: "Platform", needed: 2, have: 1 }]);
    const none = check("approvals", rule, { author: "zed" });
    expect(none.message).toBe("Waiting for 2 more approvals from Platform (0 of 2 so far).");
    expect(check("approvals", rule, { author: "zed", reviews: [approved("carol"), approved("dave")] }).outcome).toBe("pass");
  });

  it("does not count approvals from people outside the team", () => {
    expect(check("approvals", "      approvals: [{ team: platform }]\n", { author: "zed", reviews: [approved("alice"), approved("mallory")] }).outcome).toBe("waiting");
  });

  it("does not count a dismissed approval", () => {
    const reviews = [approved("carol", "2026-01-01T00:00:00Z"), review("carol", "DISMISSED", "2026-01-02T00:00:00Z")];
    expect(check("approvals", "      approvals: [{ team: platform }]\n", { author: "zed", reviews }).outcome).toBe("waiting");
  });

  it("uses members resolved by the adapter (GitHub team) together with explicit ones", () => {
    const rule = "      approvals: [{ team: platform, count: 2 }]\n";
    expect(check("approvals", rule, { author: "zed", reviews: [approved("carol"), approved("gh-only")], teamMembers: { platform: ["gh-only"] } }).outcome).toBe("pass");
  });

  it("lists every team still needed", () => {
    const result = check("approvals", BOTH, { author: "zed" });
    expect(result.message).toBe("Waiting for an approval from Data Science and an approval from Platform.");
    expect(result.howTo).toBe("Ask someone in Data Science and someone in Platform for a review.");
    expect(result.pending?.map((p) => p.team)).toEqual(["data-science", "platform"]);
  });

  it("never blames", () => {
    const result = check("approvals", BOTH, { author: "zed" });
    expect(`${result.message} ${result.howTo}`).not.toMatch(BLAME);
  });
});
