import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeCommentData } from "../../src/github/waivers.js";
import { chooseDirectories, DEFAULT_LOOKUP_LIMITS, DEFAULT_LOOKUP_TTLS, historyFromChanges, lookupReviewerFacts, ReviewerLookupCache } from "../../src/github/history.js";
import { createReviewerSuggester } from "../../src/github/suggest.js";
import type { GitHub } from "../../src/github/client.js";
import { BOT, FakeGitHub, type FakeCommit, type RecordedCall } from "../helpers/fake-github.js";
import { createTestApp, deliver, examplePayload, TestOctokit } from "../helpers/probot.js";

const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/app-basic.yml", import.meta.url), "utf8");
const PARTIAL_ANSWER = JSON.parse(readFileSync(new URL("../fixtures/graphql/reviewers-partial.json", import.meta.url), "utf8")) as unknown;

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12);
const daysAgo = (days: number) => new Date(NOW - days * DAY).toISOString();

let fake: FakeGitHub;
let clock: number;
const now = () => clock;

beforeEach(() => {
  nock.disableNetConnect();
  clock = NOW;
  fake = new FakeGitHub();
  fake.setAgreement(AGREEMENTS);
  fake.setFiles([{ filename: "pipelines/train.py", status: "modified", additions: 3, deletions: 1 }]);
  fake.install();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

/** app-basic.yml with `settings.reviewers` lines added. */
const withReviewerSettings = (...lines: string[]) => `${AGREEMENTS}settings:\n  reviewers:\n${lines.map((line) => `    ${line}\n`).join("")}`;

const mergedPr = (oid: string, days: number, number: number, author: string, approvedBy: string[], paths: string[]): FakeCommit => ({
  oid,
  committedDate: daysAgo(days),
  author,
  paths,
  pullRequest: { number, mergedAt: daysAgo(days), author, approvedBy },
});

/**
 * dave approved two pipeline changes, carol one; bob approved one; carol's docs review is
 * elsewhere. carol has two open review requests, so dave (fewer) is named first.
 */
function seedHistory(): void {
  fake.openReviewRequests.set("carol", 2);
  fake.commits = [
    mergedPr("a1", 5, 10, "erin", ["dave"], ["pipelines/train.py"]),
    mergedPr("a2", 6, 10, "erin", ["dave"], ["pipelines/train.py"]), // a second commit of PR 10: still one change
    mergedPr("b1", 10, 11, "erin", ["dave", "bob"], ["pipelines/serve.py"]),
    mergedPr("c1", 20, 12, "bob", ["carol"], ["pipelines/eval.py"]),
    mergedPr("d1", 3, 13, "zed", ["carol"], ["docs/index.md"]),
    mergedPr("e1", 400, 9, "zed", ["carol", "carol"], ["pipelines/old.py"]), // older than a year
  ];
}

const opened = () => examplePayload("pull_request", "opened", fake);
const shape = (calls: readonly RecordedCall[]) => calls.map((c) => `${c.method} ${c.path.split("?")[0]}${c.operation ? ` ${c.operation}` : ""}`);
const extraCalls = (calls: readonly RecordedCall[]) => calls.filter((c) => c.operation === "AccordReviewers" || c.path.endsWith("/requested_reviewers"));
const reviewerQueries = () => fake.calls.filter((c) => c.operation === "AccordReviewers").map((c) => (c.body as { query: string }).query);
const suggestionLines = (text: string) => text.split("\n").filter((line) => line.includes("Suggested from")).map((line) => line.trim());
const comment = () => fake.comments.find((c) => c.author === BOT)?.body ?? "";

function app(options: Parameters<typeof createReviewerSuggester>[0] = {}) {
  return createTestApp(fake, { suggest: createReviewerSuggester({ now, ...options }) }).probot;
}

describe("suggestions in the comment and the check run", () => {
  it("names people with recent work under the changed folders, each with a reason, never the author", async () => {
    seedHistory();
    await deliver(app(), "pull_request", opened());

    const expected = [
      "Suggested from Data Science: @bob (reviewed 1 change under pipelines/ in the last 90 days · no open reviews)",
      "Suggested from Platform: @dave (reviewed 2 changes under pipelines/ in the last 90 days · no open reviews), @carol (reviewed 1 change under pipelines/ in the last 90 days · 2 open reviews)",
    ];
    expect(suggestionLines(comment())).toEqual(expected);
    expect(suggestionLines(fake.checkRuns[0]!.output.summary)).toEqual(expected);
    expect(comment()).not.toMatch(/@alice \(/);
    // The history was read on the base commit, for the changed folder only, from the last year.
    const [query] = reviewerQueries();
    expect(query).toContain(`base: object(oid: "${fake.pr.baseSha}")`);
    expect(query).toContain(`h0: history(first: 50, path: "pipelines", since: "${daysAgo(365)}")`);
    expect(query).not.toContain("h1:");
  });

  it("puts the least-loaded person of the strong group first (fewest open review requests)", async () => {
    seedHistory();
    fake.openReviewRequests.set("carol", 0);
    fake.openReviewRequests.set("dave", 3);
    await deliver(app(), "pull_request", opened());
    expect(suggestionLines(comment())[1]).toBe(
      "Suggested from Platform: @carol (reviewed 1 change under pipelines/ in the last 90 days · no open reviews), @dave (reviewed 2 changes under pipelines/ in the last 90 days · 3 open reviews)",
    );
  });

  it("does not count this pull request's own request as load", async () => {
    seedHistory();
    fake.reviewRequests = ["carol"];
    fake.openReviewRequests.set("carol", 1); // that one request is this PR's
    fake.openReviewRequests.set("dave", 1);
    await deliver(app(), "pull_request", opened());
    const platform = suggestionLines(comment())[1]!;
    expect(platform).toMatch(/^Suggested from Platform: @carol \(.* · no open reviews\), @dave \(.* · 1 open review\)$/);
  });

  it("states an open-review count only for people whose count it read", async () => {
    seedHistory();
    // Platform has three candidates and only two counts are read: it always mixes known and unknown.
    fake.setAgreement(withReviewerSettings("suggest: 3").replace("members: [carol, dave]", "members: [carol, dave, gina]"));
    fake.openReviewRequests.set("gina", 1);
    await deliver(app({ limits: { maxLoadLogins: 2 } }), "pull_request", opened());
    const [query] = reviewerQueries();
    const counted = [...query!.matchAll(/user-review-requested:(\w+)/g)].map((m) => m[1]!);
    expect(counted).toHaveLength(2);
    const reasons = [...suggestionLines(comment()).join("\n").matchAll(/@(\w+) \(([^)]*)\)/g)].map((m) => [m[1]!, m[2]!] as const);
    expect(reasons.map(([login]) => login).sort()).toEqual(["bob", "carol", "dave", "gina"]);
    for (const [login, reason] of reasons) {
      if (counted.includes(login)) expect(reason).toMatch(/ · (no open reviews|\d+ open reviews?)$/);
      else expect(reason).not.toMatch(/open review/);
    }
  });

  it("never suggests the author, someone away, busy or who already approved, nor bots", async () => {
    fake.setAgreement(`version: 1
teams:
  platform:
    name: Platform
    members: [alice, carol, dave, Erin, frank, gina, "renovate[bot]"]
settings:
  reviewers:
    suggest: 10
    away: [erin]
agreements:
  - id: platform-twice
    title: Platform reviews everything twice
    require:
      approvals:
        - { team: platform, count: 2 }
`);
    fake.busyUsers.add("frank");
    fake.reviews = [{ author: "dave", state: "APPROVED", submittedAt: "2026-05-31T10:00:00Z" }];
    await deliver(app(), "pull_request", opened());

    const [line] = suggestionLines(comment());
    expect(line).toMatch(/^Suggested from Platform: /);
    const suggested = [...line!.matchAll(/@([\w[\]-]+) \(/g)].map((m) => m[1]).sort();
    expect(suggested).toEqual(["carol", "gina"]);
    // GitHub is asked about the people who could still be suggested, not about the rest.
    const [query] = reviewerQueries();
    const asked = [...query!.matchAll(/user\(login: "([^"]+)"\)/g)].map((m) => m[1]).sort();
    expect(asked).toEqual(["carol", "frank", "gina"]);
  });

  it("says so when everyone in a team is ruled out", async () => {
    fake.setAgreement(AGREEMENTS.replace("members: [carol, dave]", "members: [carol, dave]\n    github_team: platform"));
    fake.teams.set("platform", []);
    fake.busyUsers.add("carol");
    fake.busyUsers.add("dave");
    await deliver(app(), "pull_request", opened());
    expect(suggestionLines(comment())).toEqual([expect.stringMatching(/^Suggested from Data Science: @bob /)]);
    expect(comment()).toContain("Accord has nobody left to suggest from Platform: everyone in it is busy.");
  });

  it("leaves out logins GitHub does not know, and says so", async () => {
    fake.setAgreement(AGREEMENTS.replace("members: [carol, dave]", "members: [carol, dave, caroll]"));
    fake.unknownUsers.add("caroll");
    await deliver(app(), "pull_request", opened());
    expect(suggestionLines(comment())[1]).not.toContain("@caroll");
    expect(suggestionLines(comment())[1]).toMatch(/@carol .*@dave|@dave .*@carol/);
    expect(comment()).toContain("GitHub knows no user @caroll, so Accord does not suggest that login; check the spelling in the agreement file's `members`.");
  });

  it("says in plain words when a team has no members to suggest", async () => {
    fake.setAgreement(AGREEMENTS.replace("members: [carol, dave]", "github_team: platfrom"));
    await deliver(app(), "pull_request", opened());
    expect(comment()).toContain("Accord has no members for Platform to suggest; add `members` or check `github_team: platfrom`.");
    expect(suggestionLines(comment())).toEqual([expect.stringMatching(/^Suggested from Data Science: @bob /)]);
  });

  it("gives trial agreements no suggestions and asks GitHub nothing for them", async () => {
    fake.setFiles([
      { filename: "pipelines/train.py", status: "modified", additions: 3, deletions: 1 },
      { filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 },
    ]);
    fake.setAgreement(withReviewerSettings("request: true").replace("title: Pipeline changes are reviewed by both teams", "title: Pipeline changes are reviewed by both teams\n    mode: trial"));
    await deliver(app(), "pull_request", opened());
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "failure" });
    expect(comment()).toMatch(/On trial/);
    expect(suggestionLines(comment())).toEqual([]);
    expect(extraCalls(fake.calls)).toEqual([]);
  });

  it("stays quiet when `suggest` is 0", async () => {
    fake.setAgreement(withReviewerSettings("suggest: 0", "request: true"));
    await deliver(app(), "pull_request", opened());
    expect(fake.checkRuns[0]!.status).toBe("in_progress");
    expect(suggestionLines(fake.checkRuns[0]!.output.summary)).toEqual([]);
    expect(extraCalls(fake.calls)).toEqual([]);
  });
});

describe("API calls per evaluation", () => {
  it("costs at most 2 extra calls cold and none warm; expired statuses are re-read without the history", async () => {
    seedHistory();
    fake.setAgreement(withReviewerSettings("request: true"));
    const probot = app();

    await deliver(probot, "pull_request", opened());
    expect(shape(fake.calls)).toEqual([
      "POST /graphql AccordPullRequest",
      "POST /graphql AccordReviewers",
      "POST /repos/Codertocat/Hello-World/pulls/2/requested_reviewers",
      "POST /repos/Codertocat/Hello-World/check-runs",
      "POST /repos/Codertocat/Hello-World/issues/2/comments",
    ]);
    expect(extraCalls(fake.calls)).toHaveLength(2);

    // Warm: a later event within the TTLs asks GitHub nothing more and writes nothing.
    let mark = fake.calls.length;
    clock += 60_000;
    await deliver(probot, "pull_request", examplePayload("pull_request", "labeled", fake));
    expect(shape(fake.callsSince(mark))).toEqual(["POST /graphql AccordPullRequest"]);
    expect(extraCalls(fake.callsSince(mark))).toHaveLength(0);

    // Six minutes on, statuses and loads have expired; the folder's history (one hour) has not.
    mark = fake.calls.length;
    clock += 6 * 60_000;
    await deliver(probot, "pull_request", examplePayload("pull_request", "labeled", fake));
    const extra = extraCalls(fake.callsSince(mark));
    expect(extra.map((c) => c.operation)).toEqual(["AccordReviewers"]);
    const query = (extra[0]!.body as { query: string }).query;
    expect(query).toMatch(/user\(login: "dave"\)/);
    expect(query).toMatch(/search\(type: ISSUE, first: 1, query: "is:pr is:open archived:false user:Codertocat user-review-requested:dave"\)/);
    expect(query).not.toMatch(/history\(/);
    expect(fake.writes.filter((c) => fake.callsSince(mark).includes(c))).toEqual([]);
  });

  it("shares a folder's history between pull requests of the same repository", async () => {
    seedHistory();
    const probot = app();
    await deliver(probot, "pull_request", opened());
    expect(reviewerQueries()[0]).toMatch(/history\(/);
    fake.pr.number = 3;
    fake.comments = [];
    fake.pr.headSha = "2222222222222222222222222222222222222222";
    const mark = fake.calls.length;
    await deliver(probot, "pull_request", opened());
    expect(extraCalls(fake.callsSince(mark))).toEqual([]);
    expect(suggestionLines(comment())[1]).toMatch(/^Suggested from Platform: @dave \(reviewed 2 changes under pipelines\//);
  });

  it("reads at most 8 folders × 50 commits, covering every changed file", async () => {
    fake.setFiles(Array.from({ length: 24 }, (_, i) => ({ filename: `services/s${i % 12}/handlers/h${i}.py`, status: "modified", additions: 1, deletions: 0 })));
    fake.setAgreement(AGREEMENTS.replace('paths: ["pipelines/**"]', 'paths: ["services/**"]'));
    await deliver(app(), "pull_request", opened());
    const [query] = reviewerQueries();
    const folders = [...query!.matchAll(/history\(first: (\d+), path: "([^"]+)"/g)];
    expect(folders.length).toBeGreaterThan(0);
    expect(folders.length).toBeLessThanOrEqual(8);
    expect(folders.every((m) => Number(m[1]) <= 50)).toBe(true);
    expect(folders.map((m) => m[2])).toEqual(["services"]);
  });
});

describe("chooseDirectories", () => {
  it("keeps the changed files' folders when they fit, sorted", () => {
    expect(chooseDirectories(["b/x.py", "a/y.py", "README.md", "b/z.py"], 8)).toEqual(["", "a", "b"]);
  });

  it("climbs to parent folders until they fit, then keeps the busiest", () => {
    const paths = Array.from({ length: 12 }, (_, i) => `src/m${i}/deep/f.ts`);
    expect(chooseDirectories(paths, 8)).toEqual(["src"]);
    const wide = Array.from({ length: 10 }, (_, i) => `top${i}/f.ts`).concat(["top3/g.ts", "top7/g.ts"]);
    const chosen = chooseDirectories(wide, 8);
    expect(chosen).toHaveLength(8);
    expect(chosen).toContain("top3");
    expect(chosen).toContain("top7");
  });
});

describe("requesting reviews", () => {
  it("requests the top candidate of each team once, in one call, and never again on later events", async () => {
    seedHistory();
    fake.setAgreement(withReviewerSettings("request: true"));
    const probot = app();
    await deliver(probot, "pull_request", opened());
    expect(fake.requestedReviewers).toEqual([["bob", "dave"]]);
    expect(decodeCommentData(comment()).requested).toEqual(["bob", "dave"]);

    // Someone removes the requests and pushes: Accord already asked these teams, so it does not ask again.
    fake.reviewRequests = [];
    fake.pr.headSha = "3333333333333333333333333333333333333333";
    clock += 2 * 60 * 60_000; // every cache has expired too
    await deliver(probot, "pull_request", examplePayload("pull_request", "synchronize", fake));
    expect(fake.requestedReviewers).toEqual([["bob", "dave"]]);
    expect(decodeCommentData(comment()).requested).toEqual(["bob", "dave"]);
    expect(suggestionLines(comment())).toHaveLength(2);
  });

  it("still asks a team Accord has not asked yet", async () => {
    seedHistory();
    fake.setAgreement(withReviewerSettings("request: true"));
    // An earlier evaluation asked bob (Data Science) only, say because Platform had an open request then.
    fake.comments.push({ id: 77, author: BOT, body: `<!-- accord:summary -->\nold\n<!-- accord:data ${Buffer.from(JSON.stringify({ waivers: [], requested: ["bob"] })).toString("base64url")} -->` });
    await deliver(app(), "pull_request", opened());
    expect(fake.requestedReviewers).toEqual([["dave"]]);
    expect(decodeCommentData(comment()).requested).toEqual(["bob", "dave"]);
  });

  it("never requests on a draft, and does once it is ready for review", async () => {
    seedHistory();
    fake.setAgreement(withReviewerSettings("request: true"));
    fake.pr.draft = true;
    const probot = app();
    await deliver(probot, "pull_request", opened());
    expect(fake.requestedReviewers).toEqual([]);
    fake.pr.draft = false;
    await deliver(probot, "pull_request", examplePayload("pull_request", "ready_for_review", fake));
    expect(fake.requestedReviewers).toEqual([["bob", "dave"]]);
  });

  it("never requests on a draft even when drafts are checked in full", async () => {
    seedHistory();
    fake.setAgreement(`${withReviewerSettings("request: true")}  skip_drafts: false\n`);
    fake.pr.draft = true;
    await deliver(app(), "pull_request", opened());
    expect(suggestionLines(comment())).toHaveLength(2);
    expect(fake.requestedReviewers).toEqual([]);
  });

  it("skips a team with an open request already, and people who already reviewed", async () => {
    seedHistory();
    fake.setAgreement(withReviewerSettings("request: true"));
    fake.reviewRequests = ["bob"]; // Data Science is already asked (by a person)
    fake.reviews = [{ author: "dave", state: "COMMENTED", submittedAt: "2026-05-31T09:00:00Z" }];
    await deliver(app(), "pull_request", opened());
    // dave is still suggested first, but he already reviewed: carol is asked instead.
    expect(suggestionLines(comment())[1]).toMatch(/^Suggested from Platform: @dave /);
    expect(fake.requestedReviewers).toEqual([["carol"]]);
  });

  it("skips a team whose GitHub team is already requested", async () => {
    seedHistory();
    fake.setAgreement(withReviewerSettings("request: true").replace("members: [carol, dave]", "members: [carol, dave]\n    github_team: platform"));
    fake.teams.set("platform", ["carol", "dave"]);
    fake.teamReviewRequests = ["platform"];
    await deliver(app(), "pull_request", opened());
    expect(fake.requestedReviewers).toEqual([["bob"]]);
  });

  it("suggests but does not request for advisory agreements", async () => {
    seedHistory();
    fake.setAgreement(withReviewerSettings("request: true").replace("title: Pipeline changes are reviewed by both teams", "title: Pipeline changes are reviewed by both teams\n    severity: advisory"));
    await deliver(app(), "pull_request", opened());
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "neutral" });
    expect(suggestionLines(comment())).toHaveLength(2);
    expect(fake.requestedReviewers).toEqual([]);
  });

  it("does not request when `request` is off (the default)", async () => {
    seedHistory();
    await deliver(app(), "pull_request", opened());
    expect(suggestionLines(comment())).toHaveLength(2);
    expect(extraCalls(fake.calls).map((c) => c.operation)).toEqual(["AccordReviewers"]);
  });

  it("says so when GitHub refuses the request, finishes the evaluation, and does not retry on every event", async () => {
    seedHistory();
    fake.setAgreement(withReviewerSettings("request: true"));
    fake.failures.push({ match: /requested_reviewers$/, status: 422 });
    const probot = app();
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns).toHaveLength(1);
    expect(comment()).toContain("Accord could not request a review from @bob and @dave on GitHub (GitHub answered HTTP 422); the suggestions still stand, so ask them directly.");
    expect(decodeCommentData(comment()).requested).toBeUndefined();
    const mark = fake.calls.length;
    await deliver(probot, "pull_request", examplePayload("pull_request", "labeled", fake));
    expect(extraCalls(fake.callsSince(mark))).toEqual([]);
    // The notice stays while the refusal is remembered, so nothing is rewritten.
    expect(fake.writes.filter((c) => fake.callsSince(mark).includes(c))).toEqual([]);
    expect(comment()).toContain("Accord could not request a review from @bob and @dave");
  });
});

describe("when GitHub cannot answer", () => {
  it("suggests from the team lists with a plain-words notice, requests nobody blind, then leaves GitHub alone for a while", async () => {
    seedHistory();
    fake.setAgreement(withReviewerSettings("request: true"));
    fake.failures.push({ match: /^POST \/graphql AccordReviewers$/, status: 502 });
    const probot = app();
    await deliver(probot, "pull_request", opened());

    const notice =
      "Accord could not ask GitHub about recent reviews, busy statuses and open review requests this time (GitHub answered HTTP 502, a problem on GitHub's side), so the suggestions may leave some of that out.";
    expect(fake.checkRuns[0]).toMatchObject({ status: "in_progress" });
    expect(fake.checkRuns[0]!.output.summary).toContain(notice);
    expect(comment()).toContain(notice);
    const lines = suggestionLines(comment());
    expect(lines).toHaveLength(2);
    // No history was read, so no reason is guessed; and nobody's status is known, so nobody is requested yet.
    expect(lines[0]).toBe("Suggested from Data Science: @bob");
    expect(lines[1]).toMatch(/^Suggested from Platform: @(carol|dave), @(carol|dave)$/);
    expect(fake.requestedReviewers).toEqual([]);

    // Within five minutes: not asked again, same answer, nothing rewritten.
    let mark = fake.calls.length;
    clock += 60_000;
    await deliver(probot, "pull_request", examplePayload("pull_request", "labeled", fake));
    expect(extraCalls(fake.callsSince(mark))).toEqual([]);
    expect(fake.writes.filter((c) => fake.callsSince(mark).includes(c))).toEqual([]);

    // Later it asks again, and the notice goes once GitHub answers.
    mark = fake.calls.length;
    clock += 5 * 60_000;
    await deliver(probot, "pull_request", examplePayload("pull_request", "labeled", fake));
    expect(shape(extraCalls(fake.callsSince(mark)))).toEqual(["POST /graphql AccordReviewers", "POST /repos/Codertocat/Hello-World/pulls/2/requested_reviewers"]);
    expect(comment()).not.toContain("could not ask GitHub");
    expect(suggestionLines(comment())[1]).toMatch(/^Suggested from Platform: @dave \(reviewed 2 changes under pipelines\//);
    expect(fake.requestedReviewers).toEqual([["bob", "dave"]]);
  });

  it("keeps what a partial answer gives and names what is missing", async () => {
    nock.cleanAll();
    nock("https://api.github.com").post("/graphql").reply(200, PARTIAL_ANSWER as Record<string, unknown>);
    const github = new TestOctokit({ auth: "test-token" }) as unknown as GitHub;
    const cache = new ReviewerLookupCache(DEFAULT_LOOKUP_TTLS, now);
    const request = {
      installationId: 1,
      owner: "acme",
      repo: "ml",
      baseBranch: "main",
      baseSha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
      directories: ["pipelines", "serving"],
      statusLogins: ["frank", "ghost-member", "gina", "carol"],
      loadLogins: ["dave", "carol"],
      now: NOW,
    };
    const result = await lookupReviewerFacts(github, request, cache);
    expect(result.queries).toBe(1);
    // Two commits of PR 41 are one change; an unmerged PR's commit counts as a plain commit.
    expect(result.changes.get("pipelines")).toEqual([
      { id: "pr:41", at: "2026-05-28T10:02:13Z", author: "erin", reviewers: ["dave", "bob"] },
      { id: "commit:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d", at: "2026-05-20T08:00:00Z", author: null, reviewers: [] },
      { id: "commit:1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", at: "2026-05-18T11:30:00Z", author: "carol", reviewers: [] },
    ]);
    expect(result.changes.has("serving")).toBe(false);
    expect([...result.busy]).toEqual(["frank"]);
    expect(result.noSuchUser).toEqual(["ghost-member"]);
    expect([...result.statusKnown].sort()).toEqual(["carol", "frank", "ghost-member"]);
    expect([...result.load]).toEqual([["dave", 4]]);
    expect(result.problems).toEqual([
      "Accord could not read the recent history of `serving/` (the app may not read it), so the suggestions do not reflect recent work there.",
      "Accord could not read whether @gina is busy on GitHub, so that person may be suggested anyway.",
    ]);

    // What was read is cached; a status that failed is asked again; a folder that failed waits a while.
    const asked: string[] = [];
    const answerAll = (_uri: string, body: nock.Body) => {
      const query = (body as { query: string }).query;
      asked.push(query);
      const data: Record<string, unknown> = {};
      const histories = Object.fromEntries([...query.matchAll(/(h\d+): history/g)].map((m) => [m[1]!, { nodes: [] }]));
      if (Object.keys(histories).length > 0) data.repository = { base: histories };
      for (const m of query.matchAll(/(u\d+): user/g)) data[m[1]!] = { status: null };
      for (const m of query.matchAll(/(l\d+): search/g)) data[m[1]!] = { issueCount: 0 };
      return { data };
    };
    nock("https://api.github.com").post("/graphql").times(2).reply(200, answerAll);

    const again = await lookupReviewerFacts(github, request, cache);
    expect(asked).toHaveLength(1);
    expect(asked[0]).not.toMatch(/history\(/);
    expect([...asked[0]!.matchAll(/user\(login: "([^"]+)"\)/g)].map((m) => m[1])).toEqual(["gina"]);
    expect([...asked[0]!.matchAll(/user-review-requested:(\w+)/g)].map((m) => m[1])).toEqual(["carol"]);
    expect(again.problems).toEqual(["Accord could not read the recent history of `serving/` (the app may not read it), so the suggestions do not reflect recent work there."]);
    expect(again.changes.has("serving")).toBe(false);

    clock += DEFAULT_LOOKUP_TTLS.retryAfterMs + 1;
    const later = await lookupReviewerFacts(github, { ...request, now: clock }, cache);
    expect(asked).toHaveLength(2);
    expect(asked[1]).toMatch(/h0: history\(first: 50, path: "serving"/);
    expect(asked[1]).not.toMatch(/path: "pipelines"/); // an hour's cache
    expect(later.problems).toEqual([]);
    expect(later.changes.get("serving")).toEqual([]);

    const history = historyFromChanges(later.changes);
    expect(history.activityAt("pipelines/").get("dave")?.reviewed).toHaveLength(1);
    expect(history.activityAt("serving/").size).toBe(0);
  });

  it("never throws: an unexpected failure becomes a notice", async () => {
    const suggest = createReviewerSuggester({ now, limits: { ...DEFAULT_LOOKUP_LIMITS } });
    const answer = await suggest({
      github: {} as GitHub,
      state: { ref: { installationId: 1, owner: "o", repo: "r", number: 1 } } as never,
      file: { settings: { reviewers: { suggest: 2, request: false, away: [] } }, teams: {} } as never,
      facts: { teamMembers: {} } as never,
      evaluation: null as never,
      alreadyRequested: [],
    });
    expect(answer.suggestions).toEqual({});
    expect(answer.notices).toHaveLength(1);
    expect(answer.notices[0]).toMatch(/^Accord could not suggest reviewers this time \(/);
  });
});
