import { describe, expect, it } from "vitest";
import { DAY_MS, ReviewHistory } from "../../src/reviewers/history.js";
import { rankReviewers, type RankInput } from "../../src/reviewers/rank.js";
import { suggestForTeam } from "../../src/reviewers/suggest.js";

const NOW = Date.UTC(2026, 5, 1);
const daysAgo = (n: number) => NOW - n * DAY_MS;

/** bob and carol review ann's pipelines/ work equally, dave a little of it, erin only zoe's docs/. */
function teamHistory(): ReviewHistory {
  const history = new ReviewHistory();
  for (let i = 0; i < 6; i++) {
    history.add({ at: daysAgo(2 + i * 5), author: "ann", reviewers: ["bob"], paths: [`pipelines/train/step${i}.py`] });
    history.add({ at: daysAgo(3 + i * 5), author: "ann", reviewers: ["carol"], paths: [`pipelines/train/step${i}.py`] });
  }
  history.add({ at: daysAgo(4), author: "ann", reviewers: ["dave"], paths: ["pipelines/train/step0.py"] });
  history.add({ at: daysAgo(9), author: "ann", reviewers: ["dave"], paths: ["pipelines/serve.py"] });
  for (let i = 0; i < 4; i++) history.add({ at: daysAgo(6 + i), author: "zoe", reviewers: ["erin"], paths: [`docs/page${i}.md`] });
  return history;
}

function input(overrides: Partial<RankInput> = {}): RankInput {
  return {
    prKey: "acme/ml#1",
    author: "ann",
    paths: ["pipelines/train/step2.py"],
    candidates: ["bob", "carol", "dave", "erin"],
    history: teamHistory(),
    now: NOW,
    ...overrides,
  };
}

const logins = (ranked: ReturnType<typeof rankReviewers>) => ranked.map((entry) => entry.login);

describe("rankReviewers", () => {
  it("returns nothing for no candidates", () => {
    expect(rankReviewers(input({ candidates: [] }))).toEqual([]);
  });

  it("ignores history recorded after `now`", () => {
    const history = new ReviewHistory();
    history.add({ at: daysAgo(-5), author: "ann", reviewers: ["later"], paths: ["lib/x.go"] });
    history.add({ at: daysAgo(50), author: "ann", reviewers: ["before"], paths: ["lib/x.go"] });
    const ranked = rankReviewers(input({ history, paths: ["lib/x.go"], candidates: ["later", "before"], options: { rotation: { poolSize: 1 } } }));
    expect(ranked.map((entry) => [entry.login, entry.score > 0])).toEqual([["before", true], ["later", false]]);
  });

  it("never suggests the author, even when listed as a candidate", () => {
    const ranked = rankReviewers(input({ author: "Bob", candidates: ["bob", "carol", "dave"] }));
    expect(logins(ranked)).not.toContain("bob");
    expect(logins(ranked)).toHaveLength(2);
  });

  it("puts people with recent work on the changed paths ahead of people without", () => {
    const ranked = logins(rankReviewers(input({ options: { rotation: { poolSize: 1 } } })));
    expect(ranked.slice(0, 2).sort()).toEqual(["bob", "carol"]);
    expect(ranked.indexOf("dave")).toBeLessThan(ranked.indexOf("erin"));
  });

  it("weights recent work above older work", () => {
    const history = new ReviewHistory();
    for (let i = 0; i < 3; i++) history.add({ at: daysAgo(300 + i), author: "ann", reviewers: ["old"], paths: ["lib/x.go"] });
    for (let i = 0; i < 2; i++) history.add({ at: daysAgo(10 + i), author: "ann", reviewers: ["new"], paths: ["lib/x.go"] });
    const ranked = rankReviewers(input({ history, paths: ["lib/x.go"], candidates: ["old", "new"], options: { rotation: { poolSize: 1 } } }));
    expect(logins(ranked)).toEqual(["new", "old"]);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
  });

  it("gives the same ranking for the same PR every time, whatever the candidate order", () => {
    const first = logins(rankReviewers(input({ prKey: "acme/ml#7" })));
    const again = logins(rankReviewers(input({ prKey: "acme/ml#7" })));
    const shuffled = logins(rankReviewers(input({ prKey: "acme/ml#7", candidates: ["erin", "dave", "carol", "bob"] })));
    expect(again).toEqual(first);
    expect(shuffled).toEqual(first);
  });

  it("rotates first place across PRs when loads are equal", () => {
    const firsts = new Map<string, number>();
    for (let pr = 1; pr <= 40; pr++) {
      const first = rankReviewers(input({ prKey: `acme/ml#${pr}`, options: { rotation: { poolShare: 0.5 } } }))[0]!.login;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    expect([...firsts.keys()].sort()).toEqual(["bob", "carol"]);
    expect(Math.min(...firsts.values())).toBeGreaterThanOrEqual(8);
  });

  it("spreads first places evenly when each first place adds to that person's load", () => {
    const load = new Map<string, number>();
    for (let pr = 1; pr <= 30; pr++) {
      const first = rankReviewers(input({ prKey: `acme/ml#${pr}`, load }))[0]!.login;
      load.set(first, (load.get(first) ?? 0) + 1);
    }
    expect([...load.keys()].sort()).toEqual(["bob", "carol", "dave"]);
    for (const count of load.values()) expect(count).toBe(10);
  });

  it("sends first place to the least loaded of the strong group, but keeps the group on top", () => {
    const load = new Map([["bob", 3], ["carol", 1]]);
    const ranked = logins(rankReviewers(input({ load })));
    expect(ranked[0]).toBe("dave");
    expect(ranked.slice(0, 3).sort()).toEqual(["bob", "carol", "dave"]);
    expect(ranked[3]).toBe("erin");
  });

  it("does not rotate first place to someone who rarely reviews", () => {
    const history = teamHistory();
    // frank reviewed this very file once: strong enough for the group, but not a regular reviewer.
    history.add({ at: daysAgo(20), author: "ann", reviewers: ["frank"], paths: ["pipelines/train/step2.py"] });
    const load = new Map([["bob", 5], ["carol", 5]]);
    const rank = (regularShare: number) =>
      rankReviewers(input({ history, candidates: ["bob", "carol", "frank"], load, options: { rotation: { regularShare } } }));
    expect(rank(0)[0]!.login).toBe("frank");
    expect(rank(0.1)[0]!.login).not.toBe("frank");
    expect(logins(rank(0.1))).toContain("frank");
  });

  it("writes a short, true reason for each suggestion", () => {
    const history = teamHistory();
    history.add({ at: daysAgo(200), author: "ann", reviewers: ["gus"], paths: ["infra/main.tf"] });
    history.add({ at: daysAgo(30), author: "hal", reviewers: [], paths: ["pipelines/train/step2.py"] });
    const ranked = rankReviewers(
      input({ history, load: new Map([["bob", 1], ["Carol", 2]]), candidates: ["bob", "carol", "erin", "gus", "hal", "zed"] }),
    );
    const reasonOf = (login: string) => ranked.find((entry) => entry.login === login)!.reason;
    expect(reasonOf("bob")).toBe("reviewed 6 changes under pipelines/train/ in the last 90 days · 1 open review");
    expect(reasonOf("carol")).toBe("reviewed 6 changes under pipelines/train/ in the last 90 days · 2 open reviews");
    expect(reasonOf("erin")).toBe("reviewed 4 changes in this repository in the last year · no open reviews");
    expect(reasonOf("gus")).toBe("reviewed 1 change by @ann in the last year · no open reviews");
    expect(reasonOf("hal")).toBe("wrote 1 change to pipelines/train/step2.py in the last 90 days · no open reviews");
    expect(reasonOf("zed")).toBe("no recent reviews recorded here · no open reviews");
    const shape = /^[a-z][^·]{5,80}( · (no open reviews|1 open review|\d+ open reviews))?$/;
    for (const entry of ranked) expect(entry.reason).toMatch(shape);
  });

  it("leaves out the load part of the reason when no load is known, and explains only the first few when asked", () => {
    const ranked = rankReviewers(input({ explain: 2 }));
    expect(ranked[0]!.reason).not.toContain("open review");
    expect(ranked[0]!.reason.length).toBeGreaterThan(0);
    expect(ranked.slice(2).every((entry) => entry.reason === "")).toBe(true);
  });
});

describe("suggestForTeam", () => {
  it("skips the author, away, busy, approved people and bots, then ranks and trims", () => {
    const result = suggestForTeam({
      prKey: "acme/ml#3",
      members: ["ann", "bob", "carol", "dave", "erin", "renovate[bot]"],
      author: "ann",
      away: ["Carol"],
      busy: ["dave"],
      approved: [],
      paths: ["pipelines/train/step1.py"],
      history: teamHistory(),
      now: NOW,
      count: 1,
    });
    expect(result.suggestions.map((entry) => entry.login)).toEqual(["bob"]);
    expect(result.removed.map((entry) => `${entry.login}:${entry.reason}`)).toEqual([
      "ann:author",
      "carol:away",
      "dave:busy",
      "renovate[bot]:bot",
    ]);
  });

  it("suggests nobody when suggestions are off", () => {
    const result = suggestForTeam({ prKey: "k", members: ["bob"], author: "ann", paths: [], history: new ReviewHistory(), now: NOW, count: 0 });
    expect(result.suggestions).toEqual([]);
  });
});
