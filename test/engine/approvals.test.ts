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

  it("keeps an approval given on an earlier commit (whether it counts is each agreement's `stale_on_push`)", () => {
    expect(currentApprovers([{ ...approved("bob"), commitSha: "a".repeat(40) }]).has("bob")).toBe(true);
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

describe("approvals: stale_on_push", () => {
  const HEAD = "b".repeat(40);
  const OLD = "a".repeat(40);
  const STALE = "      approvals: [{ team: platform, stale_on_push: true }]\n";
  const KEEP = "      approvals: [{ team: platform }]\n";
  const on = (reviewer: string, commitSha: string, submittedAt?: string): Review => ({ ...approved(reviewer, submittedAt), commitSha });

  it("does not count an approval given before the latest push, and names it", () => {
    const result = check("approvals", STALE, { author: "zed", headSha: HEAD, reviews: [on("carol", OLD)] });
    expect(result.outcome).toBe("waiting");
    expect(result.message).toBe("Waiting for an approval from Platform. An approval did not count: @carol approved before the latest push (stale_on_push).");
    expect(result.howTo).toBe("Ask someone in Platform for a review. @carol can approve again, on the latest commit.");
    expect(result.pending).toEqual([{ team: "platform", teamName: "Platform", needed: 1, have: 0 }]);
  });

  it("counts an approval given on the head commit", () => {
    const result = check("approvals", STALE, { author: "zed", headSha: HEAD, reviews: [on("carol", HEAD)] });
    expect(result.outcome).toBe("pass");
    expect(result.message).toBe("Approved by Platform (@carol).");
  });

  it("counts a new approval on the head after an earlier one went stale", () => {
    const reviews = [on("carol", OLD, "2026-01-01T10:00:00Z"), on("carol", HEAD, "2026-01-01T12:00:00Z")];
    expect(check("approvals", STALE, { author: "zed", headSha: HEAD, reviews }).outcome).toBe("pass");
  });

  it("keeps counting approvals on earlier commits without stale_on_push (the default)", () => {
    const result = check("approvals", KEEP, { author: "zed", headSha: HEAD, reviews: [on("carol", OLD)] });
    expect(result.outcome).toBe("pass");
    expect(check("approvals", "      approvals: [{ team: platform, stale_on_push: false }]\n", { author: "zed", headSha: HEAD, reviews: [on("carol", OLD)] }).outcome).toBe("pass");
  });

  it("takes an approval as current when its commit or the head is unknown (no invented staleness)", () => {
    expect(check("approvals", STALE, { author: "zed", headSha: HEAD, reviews: [approved("carol")] }).outcome).toBe("pass");
    expect(check("approvals", STALE, { author: "zed", reviews: [on("carol", OLD)] }).outcome).toBe("pass");
  });

  it("compares commits case-insensitively", () => {
    expect(check("approvals", STALE, { author: "zed", headSha: HEAD.toUpperCase(), reviews: [on("carol", HEAD)] }).outcome).toBe("pass");
  });

  it("counts the fresh approvals and names the stale ones when `count` is not reached", () => {
    const rule = "      approvals: [{ team: platform, count: 2, stale_on_push: true }]\n";
    const result = check("approvals", rule, { author: "zed", headSha: HEAD, reviews: [on("carol", HEAD), on("dave", OLD)] });
    expect(result.outcome).toBe("waiting");
    expect(result.message).toBe(
      "Waiting for 1 more approval from Platform (1 of 2 so far). An approval did not count: @dave approved before the latest push (stale_on_push).",
    );
  });

  it("applies per entry: a member of two teams counts where the entry keeps approvals, not where it makes them stale", () => {
    const rule = "      approvals:\n        - { team: data-science }\n        - { team: platform, stale_on_push: true }\n";
    const result = check("approvals", rule, { author: "zed", headSha: HEAD, reviews: [on("eve", OLD)] });
    expect(result.outcome).toBe("waiting");
    expect(result.pending?.map((p) => p.team)).toEqual(["platform"]);
    expect(result.message).toBe("Waiting for an approval from Platform. An approval did not count: @eve approved before the latest push (stale_on_push).");
  });

  it("still never counts a dismissed approval, and does not name it as stale", () => {
    const reviews = [on("carol", HEAD, "2026-01-01T10:00:00Z"), { ...review("carol", "DISMISSED", "2026-01-01T11:00:00Z"), commitSha: HEAD }];
    const result = check("approvals", STALE, { author: "zed", headSha: HEAD, reviews });
    expect(result.outcome).toBe("waiting");
    expect(result.message).toBe("Waiting for an approval from Platform.");
  });
});

describe("approvals: naming the approvals that did not count", () => {
  it("names the author's own approval", () => {
    const result = check("approvals", "      approvals: [{ team: data-science }]\n", { author: "alice", reviews: [approved("alice")] });
    expect(result.message).toBe("Waiting for an approval from Data Science. An approval did not count: @alice wrote this pull request.");
  });

  it("names an approval from someone outside every team still needed", () => {
    const result = check("approvals", BOTH, { author: "zed", reviews: [approved("mallory")] });
    expect(result.message).toBe(
      "Waiting for an approval from Data Science and an approval from Platform. An approval did not count: @mallory is not in Data Science or Platform.",
    );
  });

  it("lists every reason at once: stale, the author's own, not a member", () => {
    const rule = "      approvals: [{ team: platform, stale_on_push: true }]\n";
    const reviews = [{ ...approved("carol"), commitSha: "a".repeat(40) }, approved("dave-the-author"), approved("zoe")];
    const result = check("approvals", rule, { author: "dave-the-author", headSha: "b".repeat(40), reviews });
    expect(result.message).toBe(
      "Waiting for an approval from Platform. Approvals that did not count: @carol approved before the latest push (stale_on_push); @dave-the-author wrote this pull request; @zoe is not in Platform.",
    );
  });

  it("does not name an approval that counted for another team", () => {
    const result = check("approvals", BOTH, { author: "zed", reviews: [approved("carol")] });
    expect(result.message).toBe("Waiting for an approval from Data Science.");
  });

  it("does not name a dismissed review or a request for changes", () => {
    const reviews = [approved("bob", "2026-01-01T10:00:00Z"), review("bob", "DISMISSED", "2026-01-01T11:00:00Z"), review("mallory", "CHANGES_REQUESTED")];
    expect(check("approvals", "      approvals: [{ team: data-science }]\n", { author: "zed", reviews }).message).toBe("Waiting for an approval from Data Science.");
  });

  it("says nothing about uncounted approvals once the agreement is met", () => {
    const result = check("approvals", "      approvals: [{ team: platform }]\n", { author: "zed", reviews: [approved("carol"), approved("mallory"), approved("zed")] });
    expect(result.outcome).toBe("pass");
    expect(result.message).toBe("Approved by Platform (@carol).");
  });

  it("names a reviewer once, with the login as the review spells it", () => {
    const result = check("approvals", "      approvals: [{ team: platform }]\n", { author: "zed", reviews: [approved("Mallory"), approved("Mallory")] });
    expect(result.message).toBe("Waiting for an approval from Platform. An approval did not count: @Mallory is not in Platform.");
  });

  it("keeps GitHub's words out of the engine and never blames", () => {
    const rule = "      approvals: [{ team: platform, stale_on_push: true }]\n";
    const result = check("approvals", rule, { author: "zed", headSha: "b".repeat(40), reviews: [{ ...approved("carol"), commitSha: "a".repeat(40) }, approved("zed")] });
    const words = `${result.message} ${result.howTo}`;
    expect(words).not.toMatch(/\/accord|comment/i);
    expect(words).not.toMatch(BLAME);
  });
});
