/** Waiver authorisation (SPEC §2): a second person's decision, held only while its giver may still give it. */
import { describe, expect, it } from "vitest";
import { mayUnwaive, mayWaive, waiverTeams, waiversInForce } from "../../src/engine/waivers.js";
import { agreementsFrom } from "./helpers.js";

const FILE = agreementsFrom(`version: 1
teams:
  data-science: { members: [alice, bob], name: Data Science }
  platform: { members: [carol, Dave], name: Platform }
agreements:
  - id: pipelines
    waivable_by: [platform]
    require: { approvals: [{ team: platform }] }
  - id: strict
    require: { forbidden: ["**/*.pkl"] }
`);
const [pipelines, strict] = FILE.agreements as [(typeof FILE.agreements)[number], (typeof FILE.agreements)[number]];
const members = { "data-science": ["alice", "bob"], platform: ["carol", "Dave"] };

describe("mayWaive", () => {
  it("lets a member of a waivable_by team waive someone else's pull request, whatever the case of the login", () => {
    expect(mayWaive(pipelines, "carol", "alice", members)).toEqual({ allowed: true });
    expect(mayWaive(pipelines, "dave", "alice", members)).toEqual({ allowed: true });
  });

  it("never lets the author waive their own pull request, even from a waiving team", () => {
    expect(mayWaive(pipelines, "Carol", "carol", members)).toEqual({ allowed: false, reason: "author" });
  });

  it("says when the person is not in a waiving team, and when no team may waive", () => {
    expect(mayWaive(pipelines, "bob", "alice", members)).toEqual({ allowed: false, reason: "not-in-team" });
    expect(mayWaive(strict, "carol", "alice", members)).toEqual({ allowed: false, reason: "nobody" });
  });
});

describe("mayUnwaive", () => {
  it("lets the giver take their waiver back, and anyone who may waive", () => {
    const given = { agreementId: "pipelines", by: "carol", reason: "hotfix" };
    expect(mayUnwaive(pipelines, "CAROL", "alice", { platform: [] }, given)).toEqual({ allowed: true });
    expect(mayUnwaive(pipelines, "dave", "alice", members, given)).toEqual({ allowed: true });
    expect(mayUnwaive(pipelines, "bob", "alice", members, given)).toEqual({ allowed: false, reason: "not-in-team" });
  });
});

describe("waiversInForce", () => {
  const waiver = { agreementId: "pipelines", by: "carol", reason: "hotfix" };

  it("keeps a waiver whose giver may still give it", () => {
    expect(waiversInForce([waiver], FILE, "alice", members)).toEqual([waiver]);
  });

  it("drops it when the giver left the team, when the team lost waivable_by, or when the agreement is gone", () => {
    expect(waiversInForce([waiver], FILE, "alice", { ...members, platform: ["dave"] })).toEqual([]);
    const noWaivers = agreementsFrom(`version: 1
teams:
  platform: { members: [carol] }
agreements:
  - id: pipelines
    require: { approvals: [{ team: platform }] }
`);
    expect(waiversInForce([waiver], noWaivers, "alice", members)).toEqual([]);
    expect(waiversInForce([{ ...waiver, agreementId: "retired" }], FILE, "alice", members)).toEqual([]);
  });

  it("drops a waiver given by the pull request's own author", () => {
    expect(waiversInForce([waiver], FILE, "carol", members)).toEqual([]);
  });
});

describe("waiverTeams", () => {
  it("names the waiving teams by display name, or nobody", () => {
    expect(waiverTeams(pipelines, FILE)).toBe("members of Platform");
    expect(waiverTeams(strict, FILE)).toBeUndefined();
  });
});
