import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { COMMENT_MARKER } from "../../src/render/markdown.js";
import { BOT, FakeGitHub } from "../helpers/fake-github.js";
import { useFakeGitHub } from "../helpers/app-setup.js";
import { createTestApp, deliver, examplePayload } from "../helpers/probot.js";

const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/app-basic.yml", import.meta.url), "utf8");

const fakeGitHub = useFakeGitHub(AGREEMENTS);
let fake: FakeGitHub;
beforeEach(() => {
  fake = fakeGitHub();
});

const opened = () => examplePayload("pull_request", "opened", fake);

describe("pull_request.opened", () => {
  it("writes a failing check run with annotations and one friendly comment, in 3 calls", async () => {
    fake.setFiles([
      { filename: "pipelines/train.py", status: "modified", additions: 3, deletions: 1 },
      { filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 },
    ]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());

    expect(fake.calls.map((c) => `${c.method} ${c.path.split("?")[0]}${c.operation ? ` ${c.operation}` : ""}`)).toEqual([
      "POST /graphql AccordPullRequest",
      "POST /repos/Codertocat/Hello-World/check-runs",
      "POST /repos/Codertocat/Hello-World/issues/2/comments",
    ]);
    const [run] = fake.checkRuns;
    expect(run).toMatchObject({ name: "Team agreements", head_sha: fake.pr.headSha, status: "completed", conclusion: "failure" });
    expect(run!.output.title).toBe("Needs attention: No model binaries in git; then reviews from Data Science and Platform");
    expect(run!.output.summary).toMatch(/\| ❌ \| No model binaries in git `no-binaries` \| not met yet \|/);
    expect(run!.output.summary).toMatch(/\*\*How to get there:\*\* Remove it from this PR/);
    expect(run!.annotations).toEqual([
      expect.objectContaining({ path: "models/model.pkl", annotation_level: "failure", start_line: 1, title: "Agreed to stay out of the repository (no-binaries)" }),
    ]);
    expect(fake.comments).toHaveLength(1);
    const body = fake.comments[0]!.body;
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toMatch(/> Models go to the registry\./);
    expect(body).not.toMatch(/why did you/i);
  });

  it("shows `waiting` as an in-progress check run titled with the team still needed", async () => {
    fake.setFiles([{ filename: "pipelines/train.py", status: "modified", additions: 3, deletions: 1 }]);
    fake.reviews = [{ author: "bob", state: "APPROVED" }];
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns[0]).toMatchObject({ status: "in_progress", conclusion: null });
    expect(fake.checkRuns[0]!.output.title).toBe("Waiting for a review from Platform");
  });

  it("passes quietly: success check run and, under on_attention, no comment", async () => {
    fake.setFiles([{ filename: "README.md", status: "modified", additions: 1, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(fake.checkRuns[0]!.output.title).toBe("All agreements met");
    expect(fake.comments).toHaveLength(0);
  });

  it("gives a draft a neutral check and no comment", async () => {
    fake.pr.draft = true;
    fake.setFiles([{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(fake.checkRuns[0]!.output.title).toMatch(/^Draft: /);
    expect(fake.comments).toHaveLength(0);
  });

  it("stays silent on a repository without an agreement file (after trying the organization's)", async () => {
    fake.blobs.clear();
    fake.setFiles([{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.writes).toEqual([]);
    expect(fake.calls.filter((c) => c.operation === "AccordBlobs")).toHaveLength(1);
  });

  it("falls back to the organization's .github repository", async () => {
    fake.blobs.clear();
    fake.orgFiles.set(".github/agreements.yml", AGREEMENTS);
    fake.setFiles([{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "failure" });
  });

  it("accepts the .yaml spelling", async () => {
    fake.blobs.clear();
    fake.setAgreement(AGREEMENTS, fake.pr.baseSha, ".github/agreements.yaml");
    fake.setFiles([{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "failure" });
  });

  it("handles a pull request from a fork like any other", async () => {
    const payload = opened();
    payload.pull_request.head.repo.fork = true;
    payload.pull_request.head.repo.full_name = "someone/Hello-World";
    fake.setFiles([{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", payload);
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "failure" });
    expect(fake.comments).toHaveLength(1);
  });

  it("reports a broken agreement file as a configuration failure, annotated on its lines", async () => {
    fake.setAgreement("version: 1\nagreements:\n  - id: x\n    require: { forbiden: [a] }\n");
    fake.setFiles([{ filename: "a.txt", status: "added", additions: 1, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    const [run] = fake.checkRuns;
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toBe("The agreement file needs a fix (1 problem)");
    expect(run!.output.summary).toMatch(/`\.github\/agreements\.yml:4:16` `forbiden` is not a key Accord knows in `require`\. Did you mean `forbidden`\?/);
    expect(run!.annotations).toEqual([expect.objectContaining({ path: ".github/agreements.yml", start_line: 4, start_column: 16, annotation_level: "failure" })]);
  });

  it("gives SPEC's partial verdict beyond GitHub's 3,000 listed files", async () => {
    fake.setFiles(Array.from({ length: 3000 }, (_, i) => ({ filename: `src/f${i}.py`, status: "added", additions: 1, deletions: 0 })));
    fake.changedFilesOverride = 3500;
    fake.setAgreement(AGREEMENTS, fake.pr.headSha);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.calls.filter((c) => c.path.includes("/files"))).toHaveLength(30);
    const run = fake.checkRuns[0]!;
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toMatch(/GitHub lists only the first 3,000 of this PR's 3,500 changed files/);
    // The agreement file could be among the unlisted files: Accord compared it at base and head instead.
    expect(run.output.summary).not.toMatch(/amend-agreements/);
  });

  it("notices a change to the agreement file hidden among unlisted files", async () => {
    fake.setFiles(Array.from({ length: 3000 }, (_, i) => ({ filename: `src/f${i}.py`, status: "added", additions: 1, deletions: 0 })));
    fake.changedFilesOverride = 3001;
    fake.setAgreement(AGREEMENTS.replace("waivable_by: [platform]", "waivable_by: [platform, data-science]"), fake.pr.headSha);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns[0]!.output.summary).toMatch(/`amend-agreements`/);
  });
});

describe("later events", () => {
  it("writes nothing when the result is unchanged: one read", async () => {
    fake.setFiles([{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    const mark = fake.calls.length;
    await deliver(probot, "pull_request", examplePayload("pull_request", "labeled", fake));
    const calls = fake.callsSince(mark);
    expect(calls.map((c) => `${c.method} ${c.path.split("?")[0]}`)).toEqual(["POST /graphql"]);
    expect(fake.checkRuns).toHaveLength(1);
  });

  it("reads renames through REST for their old path, and reuses the list of an unchanged (base, head) pair without a call", async () => {
    fake.setAgreement(AGREEMENTS.replace('forbidden: ["**/*.pkl"]', 'forbidden: ["**/*.pkl"]\n  - id: legacy\n    when: { paths: ["old/**"] }\n    require: { labels: { all_of: [legacy-ok] } }'));
    fake.setFiles([{ filename: "new/a.py", previous_filename: "old/a.py", status: "renamed", additions: 0, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns[0]!.output.summary).toMatch(/`legacy`/);
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "failure" });
    const mark = fake.calls.length;
    await deliver(probot, "pull_request", examplePayload("pull_request", "labeled", fake));
    const calls = fake.callsSince(mark);
    expect(calls.map((c) => `${c.method} ${c.path.split("?")[0]}`)).toEqual(["POST /graphql"]);
    expect(fake.calls.filter((c) => c.path.includes("/files"))).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(1);
  });

  it("judges a list whose later page changed while the first did not (the base branch moved): every page is read again", async () => {
    // Fails on the code before this change: page 1 answered 304, so the cached whole list was reused and stayed green.
    const files = Array.from({ length: 150 }, (_, i) => ({ filename: `src/f${String(i).padStart(3, "0")}.txt`, status: "modified", additions: 1, deletions: 0 }));
    fake.setFiles(files);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns.at(-1)).toMatchObject({ conclusion: "success" });

    fake.pr.baseSha = "4444444444444444444444444444444444444444";
    fake.setAgreement(AGREEMENTS);
    fake.setFiles([...files.slice(0, 149), { filename: "src/f149.pkl", status: "added", additions: 0, deletions: 0 }]);
    const edited = examplePayload("pull_request", "edited", fake);
    edited.changes = { base: { ref: { from: "old-base" }, sha: { from: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e" } } };
    await deliver(probot, "pull_request", edited);
    expect(fake.checkRuns.at(-1)).toMatchObject({ conclusion: "failure" });
    expect(fake.checkRuns.at(-1)!.annotations).toEqual([expect.objectContaining({ path: "src/f149.pkl" })]);
  });

  it("counts an approval however long the conversation: every page of reviews is read", async () => {
    // Fails on the code before this change: reviews(last: 100) dropped the early approval behind 120 inline replies.
    fake.setFiles([{ filename: "pipelines/train.py", status: "modified", additions: 3, deletions: 1 }]);
    fake.reviews = [
      { author: "bob", state: "APPROVED" },
      { author: "carol", state: "APPROVED" },
      ...Array.from({ length: 120 }, () => ({ author: "dave", state: "COMMENTED" as const })),
    ];
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns.at(-1)).toMatchObject({ conclusion: "success" });
    expect(fake.calls.filter((c) => c.operation === "AccordReviews")).toHaveLength(1);
  });

  it("finds its own run among more check runs than one query reads, instead of adding another", async () => {
    fake.setFiles([{ filename: "README.md", status: "modified", additions: 1, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns).toHaveLength(1);
    // 25 newer runs of this app under other names push ours out of the query's last 20.
    for (let i = 0; i < 25; i++) fake.checkRuns.push({ id: 5000 + i, name: `other ${i}`, head_sha: fake.pr.headSha, status: "completed", conclusion: "success", output: { title: "x", summary: "y" }, annotations: [] });
    const mark = fake.calls.length;
    await deliver(probot, "pull_request", examplePayload("pull_request", "labeled", fake));
    expect(fake.callsSince(mark).map((c) => `${c.method} ${c.path.split("?")[0]}`)).toEqual(["POST /graphql", "GET /repos/Codertocat/Hello-World/commits/ec26c3e57ca3a959ca5aad62de7213c562f8c821/check-runs"]);
    expect(fake.checkRuns.filter((run) => run.name === "Team agreements")).toHaveLength(1);
  });

  it("reads head sizes once per commit, and on a new push inside the one query", async () => {
    fake.setAgreement(AGREEMENTS.replace('forbidden: ["**/*.pkl"]', 'forbidden: ["**/*.pkl"]\n      max_file_size: 1KB'));
    fake.setFiles([{ filename: "data/big.csv", status: "added", additions: 10, deletions: 0 }]);
    fake.blobs.set(`${fake.pr.headSha}:data/big.csv`, { size: 4096 });
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.calls.map((c) => c.operation ?? c.method)).toEqual(["AccordPullRequest", "AccordBlobs", "POST", "POST"]);
    expect(fake.checkRuns[0]!.output.summary).toMatch(/data\/big\.csv/);

    fake.pr.headSha = "3333333333333333333333333333333333333333";
    fake.blobs.set(`${fake.pr.headSha}:data/big.csv`, { size: 100 });
    const mark = fake.calls.length;
    await deliver(probot, "pull_request", examplePayload("pull_request", "synchronize", fake));
    expect(fake.callsSince(mark).map((c) => c.operation ?? c.method)).toEqual(["AccordPullRequest", "POST", "PATCH"]);
    expect(fake.checkRuns.at(-1)).toMatchObject({ head_sha: fake.pr.headSha, conclusion: "success" });
  });

  it("keeps the comment current and lists met items as met", async () => {
    fake.setFiles([{ filename: "pipelines/train.py", status: "modified", additions: 1, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.comments).toHaveLength(1);
    fake.reviews = [
      { author: "bob", state: "APPROVED", submittedAt: "2026-01-01T00:00:00Z" },
      { author: "carol", state: "APPROVED", submittedAt: "2026-01-01T01:00:00Z" },
    ];
    const mark = fake.calls.length;
    await deliver(probot, "pull_request_review", examplePayload("pull_request_review", "submitted", fake));
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]!.body).toMatch(/All the agreements your teams made are met/);
    expect(fake.comments[0]!.body).toMatch(/\| ✅ \| Pipeline changes are reviewed by both teams `pipelines-both-teams` \| met \|/);
    const writes = fake.callsSince(mark).filter((c) => c.method !== "GET" && c.path !== "/graphql");
    expect(writes.map((c) => c.method)).toEqual(["PATCH", "PATCH"]);
    expect(fake.checkRuns.at(-1)).toMatchObject({ status: "completed", conclusion: "success" });
  });

  it("finds its run under a custom check_name with one read per event", async () => {
    fake.setAgreement(AGREEMENTS.replace("agreements:", "settings:\n  check_name: ML agreements\nagreements:"));
    fake.setFiles([{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.calls.filter((c) => c.operation === "AccordPullRequest")).toHaveLength(1);
    expect(fake.checkRuns.map((r) => r.name)).toEqual(["ML agreements"]);
    const mark = fake.calls.length;
    await deliver(probot, "pull_request", examplePayload("pull_request", "labeled", fake));
    expect(fake.callsSince(mark).map((c) => c.operation ?? c.method)).toEqual(["AccordPullRequest"]);
  });

  it("re-evaluates on check_run.rerequested for our own run", async () => {
    fake.setFiles([{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    const payload = examplePayload("check_run", "rerequested", fake);
    payload.check_run.app.id = fake.appId;
    payload.check_run.pull_requests = [{ number: fake.pr.number, head: { sha: fake.pr.headSha }, base: { sha: fake.pr.baseSha } }];
    await deliver(probot, "check_run", payload);
    expect(fake.checkRuns).toHaveLength(1);
    payload.check_run.app.id = 999;
    const mark = fake.calls.length;
    await deliver(probot, "check_run", payload);
    expect(fake.callsSince(mark)).toEqual([]);
  });

  it("leaves closed pull requests alone", async () => {
    fake.pr.state = "CLOSED";
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", examplePayload("pull_request", "closed", fake));
    expect(fake.calls).toEqual([]);
  });

  it("handles a duplicate delivery once, and concurrent events leave one comment and a run for the latest head", async () => {
    fake.setFiles([{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened(), "same-id");
    await deliver(probot, "pull_request", opened(), "same-id");
    expect(fake.checkRuns).toHaveLength(1);
    fake.pr.headSha = "1111111111111111111111111111111111111111";
    await Promise.all([
      deliver(probot, "pull_request", examplePayload("pull_request", "synchronize", fake)),
      deliver(probot, "pull_request", examplePayload("pull_request", "labeled", fake)),
    ]);
    expect(fake.comments.filter((c) => c.author === BOT)).toHaveLength(1);
    expect(fake.checkRuns.filter((r) => r.head_sha === fake.pr.headSha)).toHaveLength(1);
  });
});

describe("amendments", () => {
  it("adds amend-agreements and previews the proposed file, annotating its problems", async () => {
    fake.setFiles([{ filename: ".github/agreements.yml", status: "modified", additions: 1, deletions: 0 }]);
    fake.setAgreement("version: 1\nteams:\n  platform: { members: [carol] }\nagreements:\n  - id: x\n    require: { forbidden: 3 }\n", fake.pr.headSha);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    const run = fake.checkRuns[0]!;
    expect(run.status).toBe("in_progress");
    expect(run.output.summary).toMatch(/`amend-agreements`/);
    expect(run.output.summary).toMatch(/The proposed version has a problem to fix before it can land/);
    expect(run.annotations).toEqual([expect.objectContaining({ path: ".github/agreements.yml", start_line: 6 })]);
  });

  it("previews what a valid proposed version concludes", async () => {
    fake.setFiles([{ filename: ".github/agreements.yml", status: "modified", additions: 1, deletions: 0 }]);
    fake.setAgreement("version: 1\nteams:\n  platform: { members: [carol] }\nagreements:\n  - id: x\n    require: { forbidden: ['**/*.yml'] }\n", fake.pr.headSha);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns[0]!.output.summary).toMatch(/If it were in force, this PR would stand at: \*\*some agreements are not met yet\*\*/);
  });
});

describe("team membership", () => {
  it("reads GitHub teams in one query and counts their members", async () => {
    fake.setAgreement(AGREEMENTS.replace("members: [carol, dave]", "github_team: platform"));
    fake.teams.set("platform", ["erin"]);
    fake.setFiles([{ filename: "pipelines/train.py", status: "modified", additions: 1, deletions: 0 }]);
    fake.reviews = [
      { author: "bob", state: "APPROVED" },
      { author: "erin", state: "APPROVED" },
    ];
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.calls.filter((c) => c.operation === "AccordTeams")).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "success" });
  });

  it("falls back to `members` and says so when the permission is missing", async () => {
    fake.setAgreement(AGREEMENTS.replace("members: [carol, dave]", "github_team: platform\n    members: [carol]"));
    fake.teamsForbidden = true;
    fake.setFiles([{ filename: "pipelines/train.py", status: "modified", additions: 1, deletions: 0 }]);
    fake.reviews = [{ author: "bob", state: "APPROVED" }, { author: "carol", state: "APPROVED" }];
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: "success" });
    expect(fake.checkRuns[0]!.output.summary).toMatch(/the app needs the organization permission “Members: read”/);
  });

  it("says so when a GitHub team does not exist", async () => {
    fake.setAgreement(AGREEMENTS.replace("members: [carol, dave]", "github_team: platfrom\n    members: [carol]"));
    fake.setFiles([{ filename: "pipelines/train.py", status: "modified", additions: 1, deletions: 0 }]);
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", opened());
    expect(fake.checkRuns[0]!.output.summary).toMatch(/GitHub has no team `platfrom` in Codertocat that Accord can see/);
  });
});
